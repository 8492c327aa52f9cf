export interface PortalLinkRequestsTable {
  id: string;
  email: string;
  ip: string | null;
  contact_id: string | null;
  created_at: Date;
}

export interface PortalSignInTokensTable {
  id: string;
  token_hash: string;
  contact_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export interface PortalSessionsTable {
  id: string;
  token_hash: string;
  contact_id: string;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
  ip: string | null;
  user_agent: string | null;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    portal_link_requests: PortalLinkRequestsTable;
    portal_sign_in_tokens: PortalSignInTokensTable;
    portal_sessions: PortalSessionsTable;
  }
}
