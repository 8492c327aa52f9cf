import { AccountsService } from "./modules/accounts/accounts.service.ts";
import { ActivitiesService } from "./modules/activities/activities.service.ts";
import { AnnouncementsService } from "./modules/announcements/announcements.service.ts";
import { AuditService } from "./modules/audit/audit.service.ts";
import { AuthService } from "./modules/auth/auth.service.ts";
import { CallsService } from "./modules/calls/calls.service.ts";
import { CaseMessagesService } from "./modules/cases/case-messages.service.ts";
import { CaseStatusesService } from "./modules/cases/case-statuses.service.ts";
import { CasesService } from "./modules/cases/cases.service.ts";
import { QueuesService } from "./modules/cases/queues.service.ts";
import { CouncilsService } from "./modules/councils/councils.service.ts";
import { EmailOutboundService } from "./modules/email/email-outbound.service.ts";
import { EmailTemplatesService } from "./modules/email/email-templates.service.ts";
import { EmailThreads } from "./modules/email/email-threads.ts";
import { InboundMailService } from "./modules/email/inbound.service.ts";
import { EntitlementsService } from "./modules/entitlements/entitlements.service.ts";
import { EscalationsService } from "./modules/escalations/escalations.service.ts";
import { FeedbackService } from "./modules/feedback/feedback.service.ts";
import { HealthService } from "./modules/health/health.service.ts";
import { RetentionService } from "./modules/health/retention.service.ts";
import { IncidentsService } from "./modules/incidents/incidents.service.ts";
import { MAIL_SEND_TIMER, MailService } from "./modules/mail/mail.service.ts";
import { NotificationsService } from "./modules/notifications/notifications.service.ts";
import { OpportunitiesService } from "./modules/opportunities/opportunities.service.ts";
import { PortalService } from "./modules/portal/portal.service.ts";
import { RoutingService } from "./modules/routing/routing.service.ts";
import { SlaService } from "./modules/sla/sla.service.ts";
import { SlaConfigService } from "./modules/sla/sla-config.service.ts";
import { SurveysService } from "./modules/surveys/surveys.service.ts";
import { UsersService } from "./modules/users/users.service.ts";
import { WebFormService } from "./modules/web-form/web-form.service.ts";
import type { Clock } from "./platform/clock.ts";
import type { Config } from "./platform/config.ts";
import type { Database } from "./platform/db/database.ts";
import { EventBus } from "./platform/events/event-bus.ts";
import type { Logger } from "./platform/logger.ts";
import { TimerRegistry } from "./platform/timers/timers.ts";

/**
 * The composition root: builds every service once and registers every module's event and
 * timer handlers. Every process (serve, worker, tests) builds the same container, so all of
 * them agree on which handlers exist when an event is appended.
 */
export type Container = ReturnType<typeof createContainer>;

export type PlatformDeps = {
  config: Config;
  db: Database;
  clock: Clock;
  log: Logger;
};

export function createContainer(deps: PlatformDeps) {
  const { db, clock } = deps;
  const bus = new EventBus(clock);
  const timers = new TimerRegistry(clock);
  const audit = new AuditService(clock);
  const users = new UsersService(db, clock, bus, audit);
  const auth = new AuthService(db, clock, audit);
  const accounts = new AccountsService(db, clock, bus, users);
  const cases = new CasesService(db, clock, bus, audit);
  const caseMessages = new CaseMessagesService(db, clock, bus, cases);
  const caseStatuses = new CaseStatusesService(db, clock, bus, audit, cases);
  const queues = new QueuesService(db, clock, bus, audit);
  const mail = new MailService(clock, timers, deps.config, deps.log);
  timers.register(MAIL_SEND_TIMER, mail.deliver);
  const notifications = new NotificationsService(db, clock, bus, deps.config, mail);
  const slaConfig = new SlaConfigService(db, clock, audit, cases);
  const entitlements = new EntitlementsService(db, clock, bus, audit, cases, notifications);
  const sla = new SlaService(db, clock, bus, timers, cases, entitlements, notifications);
  sla.registerTimers();
  const routing = new RoutingService(db, clock, bus, timers, audit, cases, users, notifications);
  routing.register();
  // Routing places the case first: the entitlement and the SLA policy depend on where it lands.
  cases.addHooks(routing);
  // Order matters: the entitlement is chosen first, because it may bring the SLA policy.
  cases.addHooks(entitlements);
  cases.addHooks(sla);
  const activities = new ActivitiesService(
    db,
    clock,
    bus,
    timers,
    deps.config,
    cases,
    accounts,
    notifications,
    mail,
  );
  activities.registerTimers();
  cases.addHooks(activities);
  // The email channel: inbound mail, replies and customer notifications (src/modules/email).
  const emailThreads = new EmailThreads(clock, cases);
  const inboundMail = new InboundMailService(
    db,
    clock,
    bus,
    timers,
    deps.config,
    deps.log,
    audit,
    cases,
    caseMessages,
    accounts,
    emailThreads,
  );
  inboundMail.register();
  const emailTemplates = new EmailTemplatesService(db, clock, deps.config, audit, cases, accounts, users);
  const emailOutbound = new EmailOutboundService(
    db,
    clock,
    bus,
    deps.log,
    cases,
    caseMessages,
    accounts,
    mail,
    emailThreads,
    emailTemplates,
    inboundMail,
  );
  emailOutbound.register();
  cases.addHooks(emailOutbound);
  // Channels beyond email (src/modules/portal, escalations, calls, web-form).
  const escalations = new EscalationsService(db, clock, bus, cases, users, notifications);
  cases.addHooks(escalations);
  const portal = new PortalService(
    db,
    clock,
    deps.config,
    deps.log,
    accounts,
    cases,
    caseMessages,
    activities,
    escalations,
    users,
    notifications,
    mail,
  );
  const calls = new CallsService(clock, accounts, cases, caseMessages, activities);
  const webForm = new WebFormService(db, clock, deps.config, deps.log, accounts, cases);
  // Satisfaction surveys: who resolved a case, its CSAT timer, NPS schedule (src/modules/surveys).
  const surveys = new SurveysService(db, clock, bus, timers, deps.config, cases, activities, mail);
  surveys.registerTimers();
  // No survey while the contact has an open escalation.
  surveys.setEscalationCheck((db, contactId) => escalations.hasOpenForContact(db, contactId));
  cases.addHooks(surveys);
  const feedback = new FeedbackService(db, clock, bus, mail, surveys);
  const councils = new CouncilsService(db, clock, bus, deps.config, mail, activities, feedback);
  // Service incidents: linked cases, telling affected customers, the status page (src/modules/incidents).
  const incidents = new IncidentsService(db, clock, bus, timers, deps.config, cases, caseMessages, mail);
  incidents.registerTimers();
  // No survey while an open incident affects the contact's account.
  surveys.setIncidentCheck((db, accountId) => incidents.affectsAccount(db, accountId));
  // Announcements of new services to segments, with the contacts' opt-out (src/modules/announcements).
  const announcements = new AnnouncementsService(db, clock, bus, timers, deps.config, mail, users);
  announcements.registerTimers();

  // Customer health: the experience ledger, retention plays, churn, sales views (src/modules/health).
  const health = new HealthService(db, clock, bus, timers, accounts);
  health.register();
  const retention = new RetentionService(db, clock, bus, accounts, activities, notifications, cases, health);
  retention.register();
  const opportunities = new OpportunitiesService(db, clock, bus, accounts, users);

  return {
    ...deps,
    health,
    retention,
    opportunities,
    bus,
    timers,
    audit,
    users,
    auth,
    accounts,
    cases,
    caseMessages,
    caseStatuses,
    queues,
    mail,
    notifications,
    slaConfig,
    sla,
    entitlements,
    routing,
    activities,
    inboundMail,
    emailTemplates,
    emailOutbound,
    surveys,
    feedback,
    councils,
    incidents,
    announcements,
    escalations,
    portal,
    calls,
    webForm,
  };
}
