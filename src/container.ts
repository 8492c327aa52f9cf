import { AccountsService } from "./modules/accounts/accounts.service.ts";
import { ActivitiesService } from "./modules/activities/activities.service.ts";
import { AuditService } from "./modules/audit/audit.service.ts";
import { AuthService } from "./modules/auth/auth.service.ts";
import { CaseMessagesService } from "./modules/cases/case-messages.service.ts";
import { CaseStatusesService } from "./modules/cases/case-statuses.service.ts";
import { CasesService } from "./modules/cases/cases.service.ts";
import { QueuesService } from "./modules/cases/queues.service.ts";
import { EmailOutboundService } from "./modules/email/email-outbound.service.ts";
import { EmailTemplatesService } from "./modules/email/email-templates.service.ts";
import { EmailThreads } from "./modules/email/email-threads.ts";
import { InboundMailService } from "./modules/email/inbound.service.ts";
import { EntitlementsService } from "./modules/entitlements/entitlements.service.ts";
import { MAIL_SEND_TIMER, MailService } from "./modules/mail/mail.service.ts";
import { NotificationsService } from "./modules/notifications/notifications.service.ts";
import { RoutingService } from "./modules/routing/routing.service.ts";
import { SlaService } from "./modules/sla/sla.service.ts";
import { SlaConfigService } from "./modules/sla/sla-config.service.ts";
import { UsersService } from "./modules/users/users.service.ts";
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

  return {
    ...deps,
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
  };
}
