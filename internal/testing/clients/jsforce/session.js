// The README's jsforce recipe, run by make test (internal/testing/clients):
// jsforce 3 gets its session from `advologix-connect session --json` and
// nothing else, and asks for a new one through refreshFn when Salesforce
// answers that the session expired.
//
// It prints one JSON line per step on standard output (never a token).
// Before the last step it prints {"step":"expire"} and waits for a line on
// standard input, or its end: the test ends the session in between, so the
// last query meets INVALID_SESSION_ID and jsforce calls refreshFn.
'use strict';

const { execFile } = require('node:child_process');
const readline = require('node:readline');
const jsforce = require('jsforce');

// session runs `advologix-connect session --json` (the profile given in
// ADVOLOGIX_PROFILE, else the default one) and returns its JSON. When no
// session comes, the same JSON says why: {"ok": false, "code", "message"}.
function session() {
  const args = ['session', '--json'];
  if (process.env.ADVOLOGIX_PROFILE) {
    args.push('--profile', process.env.ADVOLOGIX_PROFILE);
  }
  return new Promise((resolve, reject) => {
    execFile('advologix-connect', args, { timeout: 60000 }, (err, stdout) => {
      let answer;
      try {
        answer = JSON.parse(stdout);
      } catch {
        answer = {};
      }
      if (err) {
        const why = answer.code ? `${answer.code}: ${answer.message}` : err.message;
        reject(new Error(`advologix-connect session: ${why}`));
        return;
      }
      resolve(answer);
    });
  });
}

function report(step, fields) {
  console.log(JSON.stringify({ step, ...fields }));
}

// nextLine waits for a line on standard input, or its end.
function nextLine() {
  const rl = readline.createInterface({ input: process.stdin });
  return new Promise((resolve) => {
    rl.once('line', () => rl.close());
    rl.once('close', resolve);
  });
}

async function main() {
  const s = await session();
  const conn = new jsforce.Connection({
    instanceUrl: s.instance_url,
    accessToken: s.access_token,
    version: s.api_version,
    refreshFn: (_conn, callback) => {
      session().then((fresh) => callback(null, fresh.access_token, fresh), callback);
    },
  });
  let refreshes = 0;
  conn.on('refresh', () => refreshes++);

  const me = await conn.identity();
  report('identity', { username: me.username, user_id: me.user_id, organization_id: me.organization_id });

  const org = await conn.query('SELECT Id, Name FROM Organization');
  report('query', { totalSize: org.totalSize, name: org.records[0].Name });

  const account = await conn.sobject('Account').describe();
  report('describe', { name: account.name, fields: account.fields.length });

  const limits = await conn.limits();
  report('limits', { DailyApiRequests: limits.DailyApiRequests });

  report('expire', {});
  await nextLine();
  const before = conn.accessToken;
  const users = await conn.query("SELECT Id, Username FROM User WHERE IsActive = true");
  report('refreshed', {
    refreshes,
    newToken: conn.accessToken !== before,
    usernames: users.records.map((r) => r.Username),
  });
}

main().catch((err) => {
  console.error(`jsforce recipe: ${err.message}`);
  process.exit(1);
});
