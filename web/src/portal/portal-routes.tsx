import type { RouteObject } from "react-router-dom";
import { RouteErrorPage } from "../components/route-error-page";
import { PortalCasePage } from "./portal-case-page";
import { PortalHomePage } from "./portal-home-page";
import { PortalLayout } from "./portal-layout";
import { PortalNewCasePage } from "./portal-new-case-page";
import { PortalSignInPage } from "./sign-in-page";

/** The customer portal's routes: outside the staff app's sign-in and layout. */
export const portalRoutes: RouteObject = {
  path: "/portal",
  element: <PortalLayout />,
  errorElement: <RouteErrorPage />,
  children: [
    { index: true, element: <PortalHomePage /> },
    { path: "sign-in", element: <PortalSignInPage /> },
    { path: "new", element: <PortalNewCasePage /> },
    { path: "cases/:id", element: <PortalCasePage /> },
  ],
};
