/**
 * Load child: the subscriber(s) and the publisher in one process (one event loop on the load
 * core), so that a message's way back and forth costs no process switch on that core. Takes the
 * union of both roles' arguments (--pub-qos for the publisher, --qos for the subscribers) and
 * speaks both protocols on the same stdin/stdout: "ready" twice (subscriber first), "done"
 * from the publisher after {"cmd":"go"}, "result" from the subscriber after {"cmd":"finish"}.
 */
import './subscriber.ts';
import './publisher.ts';

// Exit normally on the orchestrator's SIGTERM, so that --cpu-prof (BENCH_CLIENT_NODE_ARGS) is written.
process.on('SIGTERM', () => process.exit(0));
