import { createBrowserRouter, Navigate } from "react-router-dom";
import { RequireAuth } from "../auth/require-auth";
import { AppLayout } from "../components/app-layout";
import { RouteErrorPage } from "../components/route-error-page";
import { AccountPage } from "../pages/accounts/account-page";
import { AccountsPage } from "../pages/accounts/accounts-page";
import { ActivitiesPage } from "../pages/activities/activities-page";
import { AdminPage } from "../pages/admin/admin-page";
import { AnnouncementsPage } from "../pages/announcements/announcements-page";
import { CasesPage } from "../pages/cases/cases-page";
import { ContactPage } from "../pages/contacts/contact-page";
import { FeedbackPage } from "../pages/feedback/feedback-page";
import { HealthPage } from "../pages/health/health-page";
import { IncidentsPage } from "../pages/incidents/incidents-page";
import { KnowledgePage } from "../pages/knowledge/knowledge-page";
import { LoginPage } from "../pages/login/login-page";
import { MyDayPage } from "../pages/my-day/my-day-page";
import { NotFoundPage } from "../pages/not-found/not-found-page";
import { PipelinePage } from "../pages/pipeline/pipeline-page";
import { ReportsPage } from "../pages/reports/reports-page";
import { portalRoutes } from "../portal/portal-routes";

export function createRouter() {
  return createBrowserRouter([
    { path: "/login", element: <LoginPage />, errorElement: <RouteErrorPage /> },
    portalRoutes,
    {
      path: "/",
      element: (
        <RequireAuth>
          <AppLayout />
        </RequireAuth>
      ),
      errorElement: <RouteErrorPage />,
      children: [
        { index: true, element: <Navigate to="/cases" replace /> },
        { path: "cases/*", element: <CasesPage /> },
        { path: "my-day/*", element: <MyDayPage /> },
        { path: "incidents/*", element: <IncidentsPage /> },
        { path: "accounts", element: <AccountsPage /> },
        { path: "accounts/:id", element: <AccountPage /> },
        { path: "contacts/:id", element: <ContactPage /> },
        { path: "activities/*", element: <ActivitiesPage /> },
        { path: "knowledge/*", element: <KnowledgePage /> },
        { path: "feedback/*", element: <FeedbackPage /> },
        { path: "announcements/*", element: <AnnouncementsPage /> },
        { path: "retention/*", element: <HealthPage /> },
        { path: "pipeline", element: <PipelinePage /> },
        { path: "reports/*", element: <ReportsPage /> },
        { path: "admin/*", element: <AdminPage /> },
        { path: "*", element: <NotFoundPage /> },
      ],
    },
  ]);
}
