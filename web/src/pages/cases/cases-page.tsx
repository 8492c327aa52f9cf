import { Route, Routes } from "react-router-dom";
import { NotFoundPage } from "../not-found/not-found-page";
import { CasePage } from "./case-page";
import { NewCasePage } from "./new-case-page";
import { QueuePage } from "./queue-page";

/** The Inbox area: `/cases` (the queue), `/cases/new` and `/cases/:id`. */
export function CasesPage() {
  return (
    <Routes>
      <Route index element={<QueuePage />} />
      <Route path="new" element={<NewCasePage />} />
      <Route path=":id" element={<CasePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
