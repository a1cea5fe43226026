// SME's initialize-default-databases action: applies the defaults and force
// trees of every database, then makes the primary domain's record and its
// standard hosts from DomainName (in-process; link it into an event as S00…).
export default async function initializeDefaultDatabases(context) {
  await context.initializeDefaultDatabases();
}
