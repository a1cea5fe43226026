// SME's initialize-default-databases action: applies the defaults and force
// trees of every database (in-process; link it into an event as S00…).
export default async function initializeDefaultDatabases(context) {
  await context.initializeDefaultDatabases();
}
