// Deployments as containers: each worker in its own PID and UTS namespace (util-linux
// `unshare`), so each sees itself as PID 1 on a host with the same name, as replicas of one
// image do. An instance ID derived from the PID or the hostname collides here and nowhere else on
// one machine. Network and files stay shared: the proxies, the sink and a SQLite store still reach.
import { execaSync } from 'execa';

/** Every deployment's hostname in container mode, as in a fleet of replicas of one image. */
export const CONTAINER_HOSTNAME = 'app';

const FLAGS = ['--pid', '--uts', '--fork', '--mount-proc', '--kill-child'];

let probed: true | string | undefined;

/** true, or why deployments cannot run in their own namespaces here (probed once, by running one). */
export function containersAvailable(): true | string {
  probed ??= probe();
  return probed;
}

function probe(): true | string {
  if (process.platform !== 'linux') return 'PID and UTS namespaces are Linux only';
  try {
    const r = execaSync('unshare', [...FLAGS, 'sh', '-c', `hostname ${CONTAINER_HOSTNAME} && test $$ -eq 1`], { reject: false, timeout: 5_000 });
    if (r.exitCode === 0) return true;
    const why = (r.stderr || r.stdout || `exit ${r.exitCode}`).toString().trim().split('\n').at(-1);
    return `unshare ${FLAGS.join(' ')} is not permitted here (${why}): run as root or with CAP_SYS_ADMIN, or where unprivileged user namespaces are enabled`;
  } catch (e) {
    return `unshare could not run (${(e as Error).message.split('\n')[0]}): install util-linux`;
  }
}

/**
 * The shell command that runs `command` as a container: `unshare` forks it as PID 1 of a new PID
 * namespace (the worker must `exec` to be PID 1 itself, as an image's entrypoint should), after
 * setting the new UTS namespace's hostname. The command travels in the environment, never
 * re-quoted. SIGKILL and SIGSTOP reach it from outside; SIGTERM only if it handles it (PID 1).
 */
export function containerized(command: string): { command: string; env: Record<string, string> } {
  return {
    command: `exec unshare ${FLAGS.join(' ')} sh -c 'hostname "$BATON_CONTAINER_HOSTNAME" && eval "$BATON_CONTAINER_COMMAND"'`,
    env: { BATON_CONTAINER_COMMAND: command, BATON_CONTAINER_HOSTNAME: CONTAINER_HOSTNAME, HOSTNAME: CONTAINER_HOSTNAME },
  };
}
