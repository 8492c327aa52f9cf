import { Alert, Avatar, Button, EmptyState, Skeleton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconAlertCircle, IconUserPlus, IconUsers } from "@tabler/icons-react";
import { Link } from "react-router-dom";
import { type TAccount, useAccountContacts } from "../../customers/api";
import { ContactFormModal } from "../../customers/contact-form-modal";
import { LocalTime } from "../../customers/local-time";
import classes from "./account-contacts.module.css";

/** The account's people: who they are, how to reach them, and what time it is for them. */
export function AccountContacts({ account }: { account: TAccount }) {
  const contacts = useAccountContacts(account.id);
  const [adding, addModal] = useDisclosure(false);
  const items = contacts.data?.pages.flatMap((page) => page.items) ?? [];

  const addButton = (
    <Button
      variant={items.length > 0 ? "default" : "filled"}
      size="sm"
      leftSection={<IconUserPlus size={16} stroke={1.8} aria-hidden />}
      onClick={addModal.open}
    >
      Add contact
    </Button>
  );

  return (
    <>
      {contacts.isError && !contacts.data ? (
        <Alert color="red" variant="light" role="alert" icon={<IconAlertCircle size={18} aria-hidden />}>
          The contacts couldn't be loaded: {contacts.error.message}{" "}
          <Button variant="subtle" size="compact-sm" onClick={() => contacts.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : contacts.isPending ? (
        <div className={classes.frame} aria-busy>
          {[0, 1, 2].map((row) => (
            <div key={row} style={{ padding: "14px 12px", borderBottom: "1px solid var(--kd-divider)" }}>
              <Skeleton height={10} width={`${40 + row * 12}%`} radius="sm" />
            </div>
          ))}
        </div>
      ) : items.length === 0 ? (
        <EmptyState
          className={classes.frame}
          py={36}
          icon={<IconUsers size={24} stroke={1.6} />}
          withIndicatorBackground
          title="No contacts yet"
          description="Add the people you talk to at this account. Their email domain also helps find the account from incoming mail."
        >
          <EmptyState.Actions>{addButton}</EmptyState.Actions>
        </EmptyState>
      ) : (
        <>
          <div className={classes.head}>
            <span className={classes.count}>
              {items.length}
              {contacts.hasNextPage ? "+" : ""} {items.length === 1 ? "contact" : "contacts"}
            </span>
            {addButton}
          </div>
          <div className={classes.frame}>
            <table
              className={classes.table}
              aria-label={`Contacts at ${account.name}`}
              data-testid="contacts-table"
            >
              <thead>
                <tr>
                  <th scope="col" style={{ width: "32%" }}>
                    Name
                  </th>
                  <th scope="col" style={{ width: "30%" }}>
                    Email
                  </th>
                  <th scope="col" className={classes.wide} style={{ width: "18%" }}>
                    Phone
                  </th>
                  <th scope="col" className={classes.wide} style={{ width: "20%" }}>
                    Local time
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((contact) => (
                  <tr key={contact.id} className={classes.row}>
                    <td>
                      <div className={classes.person}>
                        <Avatar
                          name={contact.name}
                          size={28}
                          radius="xl"
                          classNames={{ placeholder: classes.avatar }}
                        />
                        <div className={classes.who}>
                          <Link to={`/contacts/${contact.id}`} className={classes.name}>
                            {contact.name}
                          </Link>
                          {contact.title ? <span className={classes.sub}>{contact.title}</span> : null}
                        </div>
                      </div>
                    </td>
                    <td>
                      <a className={classes.link} href={`mailto:${contact.email}`}>
                        {contact.email}
                      </a>
                    </td>
                    <td className={classes.wide}>
                      {contact.phone ? (
                        <a className={classes.link} href={`tel:${contact.phone.replace(/[^\d+]/g, "")}`}>
                          {contact.phone}
                        </a>
                      ) : (
                        <span className={classes.muted}>—</span>
                      )}
                    </td>
                    <td className={classes.wide}>
                      <LocalTime timeZone={contact.timeZone ?? account.timeZone} withDifference={false} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {contacts.hasNextPage ? (
            <Button
              variant="subtle"
              mt="sm"
              onClick={() => contacts.fetchNextPage()}
              loading={contacts.isFetchingNextPage}
            >
              Load more contacts
            </Button>
          ) : null}
        </>
      )}
      <ContactFormModal
        opened={adding}
        onClose={addModal.close}
        accountId={account.id}
        accountTimeZone={account.timeZone}
      />
    </>
  );
}
