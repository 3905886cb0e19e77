/**
 * A private, real Dovecot POP3 server for interop tests and benchmarks.
 *
 * Each instance gets its own directory (config, PKI, passwd file, sockets, state, log, mail) and its own loopback
 * ports, and runs `dovecot -F -c <its config>` as a child process. Nothing under /etc/dovecot or /var is read or
 * written, and the system's Dovecot service is never touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, chownSync, closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync,
  readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { createTestPki, type TestPki } from './certs.ts';

export interface DovecotUser { readonly name: string; readonly password: string }

export interface DovecotOptions {
  readonly users?: readonly DovecotUser[];
  /** Where the instance lives. Default: a fresh mkdtemp under os.tmpdir(), deleted again by stop(). */
  readonly dir?: string;
  /** Appended to the generated dovecot.conf; later settings override earlier ones. */
  readonly extraConfig?: string;
}

export interface DovecotServer {
  readonly host: '127.0.0.1';
  /** pop3 listener: plaintext, offers STLS (RFC 2595). */
  readonly plainPort: number;
  /** pop3s listener: implicit TLS (RFC 8314). */
  readonly tlsPort: number;
  readonly pki: TestPki;
  readonly users: readonly DovecotUser[];
  readonly dir: string;
  readonly logPath: string;
  /** Absolute path of the user's Maildir (with cur/ new/ tmp/). Default: the first user. */
  maildir(user?: string): string;
  /** Stops the instance and waits until its ports are closed. Idempotent. */
  stop(): Promise<void>;
}

/** A space in the password on purpose: USER/PASS takes the rest of the line, SASL and APOP must not split it. */
const DEFAULT_USERS: readonly DovecotUser[] = [{ name: 'alice', password: 'secret pass' }];

const HOST = '127.0.0.1';
const STARTUP_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 3_000;
const KILL_GRACE_MS = 250;
const REQUIRED_CAPABILITIES = ['PIPELINING', 'UIDL', 'TOP', 'STLS', 'SASL'];
const INSTALL_HINT = 'Run `bash .ci/run` (which installs it) or `apt-get install dovecot-pop3d`.';

export function dovecotBinary(): string | undefined {
  const dirs = ['/usr/sbin', '/usr/local/sbin', ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean)];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'dovecot');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Process bookkeeping: no Dovecot may outlive the test process.

/**
 * Each Dovecot runs in its own process group (spawned detached), with the master as group leader. Stopping signals
 * the whole group at once: a SIGTERM to the master alone makes it SIGQUIT its children and then sleep a fixed
 * second (services_monitor_wait_and_kill in Dovecot's master), whereas the group usually exits within ~10 ms.
 */
const runningGroups = new Set<number>();
let exitHookInstalled = false;

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: nothing left in the group
  }
}

/**
 * Whether any member of the group still runs. Zombies do not count: once the master is gone, its last children are
 * reparented to PID 1, which here reaps them only every second or so, and a zombie holds no sockets or files.
 */
function groupRunning(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return true; // no procfs: trust kill(0)
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') return true;
  }
  return false;
}

function track(pgid: number): void {
  runningGroups.add(pgid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' handlers must be synchronous: signal and go.
    process.once('exit', () => {
      for (const group of runningGroups) signalGroup(group, 'SIGTERM');
    });
  }
}

/**
 * A watchdog for the case the 'exit' hook cannot cover (the test process killed by a signal, e.g. a worker torn
 * down by vitest): a shell blocked reading a pipe from us. When we die, the pipe reaches EOF and the shell
 * terminates the Dovecot group. stop() kills the watchdog first, so it never signals a group ID that may have been
 * reused.
 */
function startWatchdog(pgid: number): ChildProcess {
  const dog = spawn('/bin/sh', ['-c', 'read _ignored; kill -TERM "-$0" 2>/dev/null', String(pgid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  dog.on('error', () => undefined);
  // Neither the watchdog nor its pipe may keep the test process alive on their own.
  dog.unref();
  if (dog.stdin instanceof net.Socket) dog.stdin.unref();
  return dog;
}

// ---------------------------------------------------------------------------------------------------------------
// Small async helpers; every timer they start is cleared on every path.

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port from listen(0)'));
      });
    });
  });
}

interface Dialogue {
  /** Resolves with everything received so far once `done(received)` says it is enough. */
  readUntil(done: (received: string) => boolean): Promise<string>;
  write(text: string): void;
  close(): void;
}

/** A minimal line-protocol client over an already-connecting socket, with one overall deadline. */
function dialogue(socket: net.Socket, timeoutMs: number): Dialogue {
  let received = '';
  let failure: Error | undefined;
  let waiter: (() => void) | undefined;
  const wake = (): void => {
    waiter?.();
  };
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    received += chunk;
    wake();
  });
  socket.on('error', (err) => {
    failure ??= err;
    wake();
  });
  socket.on('close', () => {
    failure ??= new Error(`connection closed; received ${JSON.stringify(received)}`);
    wake();
  });
  const timer = setTimeout(() => {
    failure ??= new Error(`timed out; received ${JSON.stringify(received)}`);
    socket.destroy();
    wake();
  }, timeoutMs);
  socket.once('close', () => {
    clearTimeout(timer);
  });
  return {
    readUntil: (done) => new Promise<string>((resolve, reject) => {
      const check = (): void => {
        if (done(received)) {
          waiter = undefined;
          resolve(received);
        } else if (failure) {
          waiter = undefined;
          reject(failure);
        }
      };
      waiter = check;
      check();
    }),
    write: (text) => {
      socket.write(text);
    },
    close: () => {
      clearTimeout(timer);
      socket.destroy();
    },
  };
}

/** Reads the greeting and CAPA on the plain port, and the greeting over implicit TLS, verified against our CA. */
async function probe(plainPort: number, tlsPort: number, pki: TestPki): Promise<void> {
  const plain = dialogue(net.connect(plainPort, HOST), 2_000);
  try {
    const greeting = await plain.readUntil((r) => r.includes('\r\n'));
    if (!greeting.startsWith('+OK')) throw new Error(`unexpected greeting ${JSON.stringify(greeting)}`);
    plain.write('CAPA\r\n');
    const capa = await plain.readUntil((r) => r.endsWith('\r\n.\r\n'));
    const lines = capa.split('\r\n').map((l) => l.split(' ')[0]);
    const missing = REQUIRED_CAPABILITIES.filter((c) => !lines.includes(c));
    if (missing.length > 0) throw new Error(`CAPA lacks ${missing.join(', ')}: ${JSON.stringify(capa)}`);
    // Say goodbye properly, so the log shows no aborted sessions.
    plain.write('QUIT\r\n');
    await plain.readUntil((r) => r.length > capa.length && r.endsWith('\r\n'));
  } finally {
    plain.close();
  }
  const secure = dialogue(tls.connect({ host: HOST, port: tlsPort, ca: pki.caPem, servername: 'localhost' }), 2_000);
  try {
    const greeting = await secure.readUntil((r) => r.includes('\r\n'));
    if (!greeting.startsWith('+OK')) throw new Error(`unexpected TLS greeting ${JSON.stringify(greeting)}`);
    secure.write('QUIT\r\n');
    await secure.readUntil((r) => r.length > greeting.length && r.endsWith('\r\n'));
  } finally {
    secure.close();
  }
}

/** Resolves once the port refuses connections (nothing listens any more). */
async function waitClosed(port: number, deadline: number): Promise<void> {
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, HOST);
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', (err) => {
        resolve((err as NodeJS.ErrnoException).code === 'ECONNREFUSED');
      });
    });
    if (refused) return;
    if (Date.now() > deadline) throw new Error(`port ${port} still accepts connections after Dovecot stopped`);
    await delay(20);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Configuration

interface MailOwner { readonly uid: number; readonly gid: number; readonly user: string; readonly group: string }

/** Fields of the /etc/passwd or /etc/group line whose field `column` equals `value`. */
function lookup(file: string, column: number, value: string): string[] | undefined {
  try {
    return readFileSync(file, 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[column] === value);
  } catch {
    return undefined;
  }
}

/**
 * Dovecot refuses to run mail processes as root ("userdb returned 0 as uid", whatever first_valid_uid says), so as
 * root the mail belongs to `nobody`. Without root, Dovecot runs entirely as the current user and group.
 */
function mailOwner(): MailOwner {
  const me = os.userInfo();
  if (me.uid !== 0) {
    const group = lookup('/etc/group', 2, String(me.gid))?.[0] ?? String(me.gid);
    return { uid: me.uid, gid: me.gid, user: me.username, group };
  }
  const nobody = lookup('/etc/passwd', 0, 'nobody');
  const gid = Number(nobody?.[3] ?? 65534);
  return { uid: Number(nobody?.[2] ?? 65534), gid, user: 'nobody', group: lookup('/etc/group', 2, String(gid))?.[0] ?? 'nogroup' };
}

/** Paths go into dovecot.conf and passdb/userdb args unquoted, where whitespace or quotes would split them. */
function confPath(value: string): string {
  if (!/^[^\s"'\\#]+$/.test(value)) throw new Error(`Dovecot dir must not contain spaces, quotes or #: ${value}`);
  return value;
}

interface ConfigInput {
  readonly dir: string;
  readonly plainPort: number;
  readonly tlsPort: number;
  readonly pki: TestPki;
  readonly owner: MailOwner;
  readonly passwdPath: string;
  readonly logPath: string;
  readonly extraConfig: string;
}

function dovecotConfig(c: ConfigInput): string {
  const root = process.getuid?.() === 0;
  const d = (name: string): string => confPath(path.join(c.dir, name));
  return `# Generated by test/support/dovecot.ts for one private test instance. Includes nothing from /etc/dovecot.
# A unique instance_name, base_dir and state_dir keep it apart from the system service and from other instances.
instance_name = ${confPath(`poplar-${path.basename(c.dir)}`)}
base_dir = ${d('run')}
state_dir = ${d('state')}
log_path = ${confPath(c.logPath)}
info_log_path = ${confPath(c.logPath)}
debug_log_path = ${confPath(c.logPath)}
protocols = pop3
listen = ${HOST}
${root ? `# Debian's package creates these accounts; the login processes run unprivileged and chrooted.
default_internal_user = dovecot
default_login_user = dovenull` : `# Rootless: every Dovecot process runs as us, and nothing can chroot.
default_internal_user = ${c.owner.user}
default_internal_group = ${c.owner.group}
default_login_user = ${c.owner.user}`}

ssl = yes
ssl_cert = <${confPath(c.pki.certPath)}
ssl_key = <${confPath(c.pki.keyPath)}

# Every mechanism a POP3 client may try needs the plaintext password: APOP and CRAM-MD5 hash it with a challenge.
auth_mechanisms = plain login cram-md5 apop
# USER/PASS and AUTH PLAIN must work before STLS too, so the client's own TLS policy is what gets tested.
disable_plaintext_auth = no
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${confPath(c.passwdPath)}
}
# A failed login is answered after auth_failure_delay (default 2 s); 0 leaves only the auth process's 0.5 s
# flush tick. (A passdb "nodelay" field cannot help: a failed lookup rolls its fields back.)
auth_failure_delay = 0
service anvil {
  # Anvil's per-IP auth penalty would delay every later login from 127.0.0.1 by 2-15 s after one failure, so one
  # wrong-password test would slow all others. A listener with mode 0 is not created, which disables the penalty.
  unix_listener anvil-auth-penalty {
    mode = 0
  }${root ? '' : `
  # Rootless: nothing can chroot.
  chroot =`}
}
userdb {
  driver = static
  args = uid=${c.owner.uid} gid=${c.owner.gid} home=${d('mail')}/%u
}
# nobody (65534) passes the default of 500; without root, our own UID may be lower.
first_valid_uid = ${Math.min(c.owner.uid, 500)}
first_valid_gid = ${Math.min(c.owner.gid, 1)}
mail_location = maildir:~/Maildir
# Tests and benchmarks do not need crash-safe disk writes; fsync would dominate DELE/QUIT timings.
mail_fsync = never
# Unique-ids are the Maildir base file names, which test/support/mailbox.ts makes deterministic. The default
# (%08Xu%08Xv) embeds UIDVALIDITY, which is the mailbox's creation time.
pop3_uidl_format = %f
# RETR would otherwise rename each file to set \\Seen; POP3 clients never see flags, and renames cost time.
pop3_no_flag_updates = yes
# The default 10 would refuse a benchmark's or a test's parallel sessions to one account from 127.0.0.1.
mail_max_userip_connections = 1000

service pop3-login {
  inet_listener pop3 {
    address = ${HOST}
    port = ${c.plainPort}
  }
  inet_listener pop3s {
    address = ${HOST}
    port = ${c.tlsPort}
    ssl = yes
  }${root ? '' : `
  chroot =`}
}
service auth {
  # passwd-file is read by the auth process; our directory is private to root (or to us without root).
  user = ${root ? 'root' : c.owner.user}
}

${c.extraConfig}
`;
}

// ---------------------------------------------------------------------------------------------------------------
// Startup

class StartupError extends Error {
  constructor(message: string, readonly portInUse: boolean) {
    super(message);
  }
}

export async function startDovecot(options: DovecotOptions = {}): Promise<DovecotServer> {
  const binary = dovecotBinary();
  if (binary === undefined) throw new Error(`Dovecot is not installed: /usr/sbin/dovecot not found. ${INSTALL_HINT}`);
  const users = options.users ?? DEFAULT_USERS;
  if (users.length === 0) throw new Error('startDovecot needs at least one user');
  for (const u of users) {
    if (!/^[A-Za-z0-9._@+-]+$/.test(u.name)) throw new Error(`unsupported user name ${JSON.stringify(u.name)}`);
    if (/[:\r\n\t]/.test(u.password)) throw new Error(`passwd-file cannot hold password ${JSON.stringify(u.password)}`);
  }
  const ownDir = options.dir === undefined;
  const dir = path.resolve(options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'poplar-dovecot-')));

  mkdirSync(dir, { recursive: true });
  // mkdtemp makes 0700; mail processes run as an unprivileged user and must reach the Maildirs below.
  chmodSync(dir, 0o755);
  const owner = mailOwner();
  const pki = createTestPki(path.join(dir, 'pki'));
  const passwdPath = path.join(dir, 'passwd');
  writeFileSync(passwdPath, users.map((u) => `${u.name}:{PLAIN}${u.password}::::::\n`).join(''), { mode: 0o600 });
  const maildir = (user?: string): string => {
    const name = user ?? users[0]?.name ?? '';
    if (!users.some((u) => u.name === name)) throw new Error(`no such Dovecot user ${JSON.stringify(name)}`);
    return path.join(dir, 'mail', name, 'Maildir');
  };
  mkdirSync(path.join(dir, 'mail'), { recursive: true });
  for (const u of users) {
    // Dovecot creates missing Maildirs itself, but tests fill them before the first login, and the files must
    // belong to the mail user: writeMaildir (mailbox.ts) hands new files to the Maildir's owner.
    const home = path.join(dir, 'mail', u.name);
    for (const p of [home, maildir(u.name), ...['cur', 'new', 'tmp'].map((s) => path.join(maildir(u.name), s))]) {
      mkdirSync(p, { recursive: true });
      if (process.getuid?.() === 0) chownSync(p, owner.uid, owner.gid);
    }
  }
  const logPath = path.join(dir, 'dovecot.log');

  // Free ports are found by binding port 0 and closing again, which races with other parallel instances; a lost
  // race shows as "Address already in use" and is simply retried with new ports.
  for (let attempt = 1; ; attempt++) {
    const plainPort = await freePort();
    let tlsPort = await freePort();
    while (tlsPort === plainPort) tlsPort = await freePort();
    writeFileSync(path.join(dir, 'dovecot.conf'), dovecotConfig({
      dir, plainPort, tlsPort, pki, owner, passwdPath, logPath, extraConfig: options.extraConfig ?? '',
    }));
    try {
      return await launch({ binary, dir, ownDir, plainPort, tlsPort, pki, users, logPath, maildir });
    } catch (err) {
      if (!(err instanceof StartupError && err.portInUse && attempt < 3)) throw err;
    }
  }
}

interface LaunchInput {
  readonly binary: string;
  readonly dir: string;
  readonly ownDir: boolean;
  readonly plainPort: number;
  readonly tlsPort: number;
  readonly pki: TestPki;
  readonly users: readonly DovecotUser[];
  readonly logPath: string;
  readonly maildir: (user?: string) => string;
}

/** Connection-level failures while the master is still coming up; anything else is a real startup failure. */
function notListeningYet(err: unknown): boolean {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET';
}

async function launch(l: LaunchInput): Promise<DovecotServer> {
  // base_dir holds only runtime sockets and the pid file. Start from a clean one: the disabled penalty listener
  // (see dovecotConfig) is never created, so a stale socket file from an earlier run in this directory would make
  // the auth process connect to it, fail, and hold up every login for seconds.
  rmSync(path.join(l.dir, 'run'), { recursive: true, force: true });
  const logStart = existsSync(l.logPath) ? statSync(l.logPath).size : 0;
  // Early errors (bad config) go to stderr before the log process is up: send both to the log file too.
  const out = openSync(l.logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(l.binary, ['-F', '-c', path.join(l.dir, 'dovecot.conf')], {
      stdio: ['ignore', out, out], cwd: l.dir, detached: true,
    });
  } finally {
    closeSync(out);
  }
  // The instance must not keep the test process alive by itself; stop() or the exit hooks end it.
  child.unref();
  let exitReason: string | undefined;
  child.once('exit', (code, signal) => {
    exitReason = signal ? `signal ${signal}` : `exit code ${String(code)}`;
  });
  child.once('error', (err) => {
    exitReason = err.message;
  });
  const pgid = child.pid;
  if (pgid !== undefined) track(pgid);
  const watchdog = pgid === undefined ? undefined : startWatchdog(pgid);

  let halting: Promise<void> | undefined;
  const halt = (): Promise<void> => {
    halting ??= (async () => {
      watchdog?.kill('SIGKILL');
      if (pgid !== undefined) {
        signalGroup(pgid, 'SIGTERM');
        // Usually the whole group is gone within ~10 ms. But when the master handles its SIGTERM before it has
        // reaped its (also SIGTERMed) children, it SIGQUITs them and sleeps a fixed second, sometimes twice; by
        // then there is nothing left to shut down cleanly, so it gets SIGKILL after a short grace period.
        const started = Date.now();
        let killed = false;
        // The group is done when no member runs any more (bounded all the same).
        while ((exitReason === undefined || groupRunning(pgid)) && Date.now() - started < STOP_TIMEOUT_MS) {
          if (!killed && Date.now() - started > KILL_GRACE_MS) killed = signalGroup(pgid, 'SIGKILL');
          await delay(5);
        }
        runningGroups.delete(pgid);
      }
      const deadline = Date.now() + STOP_TIMEOUT_MS;
      await waitClosed(l.plainPort, deadline);
      await waitClosed(l.tlsPort, deadline);
    })();
    return halting;
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let failure: unknown;
  while (exitReason === undefined) {
    try {
      await probe(l.plainPort, l.tlsPort, l.pki);
      let stopping: Promise<void> | undefined;
      return {
        host: HOST, plainPort: l.plainPort, tlsPort: l.tlsPort, pki: l.pki, users: l.users, dir: l.dir,
        logPath: l.logPath, maildir: l.maildir,
        stop: () => {
          stopping ??= halt().then(() => {
            // A directory we made is ours to clean up (benchmark Maildirs are large); set POPLAR_KEEP_DOVECOT=1 to
            // keep it for a post-mortem.
            if (l.ownDir && !process.env.POPLAR_KEEP_DOVECOT) rmSync(l.dir, { recursive: true, force: true });
          });
          return stopping;
        },
      };
    } catch (err) {
      if (!notListeningYet(err) || Date.now() > deadline) {
        failure = err;
        break;
      }
    }
    await delay(15);
  }
  const exitedEarly = exitReason;
  // Keep the directory: the error below points at its log.
  await halt().catch(() => undefined);
  const log = readFileSync(l.logPath).subarray(logStart).toString('utf8').trimEnd().split('\n').slice(-40).join('\n');
  const why = exitedEarly !== undefined ? `Dovecot exited during startup (${exitedEarly})`
    : `Dovecot did not come up (${failure instanceof Error ? failure.message : String(failure)})`;
  const hint = /Unknown protocol|pop3.*(No such file|not found)/i.test(log) ? ` Is dovecot-pop3d installed? ${INSTALL_HINT}` : '';
  throw new StartupError(`${why}.${hint}\nLog ${l.logPath}:\n${log}`, /Address already in use/.test(log));
}
