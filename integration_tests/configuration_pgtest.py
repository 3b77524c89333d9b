"""How operators configure the stack, checked on the real binaries:
every binary's --help lists its own flags with their defaults; the list of
the stack's flags that keeps other components' ELECTRUM_* settings quiet
matches the binaries; the README's gateway table matches --help; unknown
ELECTRUM_* variables warn only when no component knows them (not for
Kubernetes service links or the scripts' own variables); a node URL with
credentials (ElectrumX's DAEMON_URL form) is parsed, refused clearly when
wrong, and works end to end. Binaries come as arguments (see BUILD)."""
import os
import re
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from electrum_client import negotiated  # noqa: E402
from flag_help import flags_of, markdown_table, readme_table, run_help  # noqa: E402
from stack import STACK_BINARIES, Stack, binaries_from_argv  # noqa: E402

BINARIES = binaries_from_argv(sys.argv)
EXTRA = sys.argv[1 + len(STACK_BINARIES):]
BINARIES["indexer"], BINARIES["gateway_admin"] = EXTRA[0], EXTRA[1]
README, STACK_FLAGS_SOURCE = EXTRA[2], EXTRA[3]

# A few flags each binary must list (its own and the ones it shares).
EXPECTED_FLAGS = {
    "simnode": {"rpcport", "datadir", "zmqpub", "log_level"},
    "migrate": {"database_url", "log_level"},
    "blockchain": {"database_url", "listen", "node_url", "node_host", "node_cookie_file", "coin",
                   "max_reorg_depth", "bulk_max_unspent_outputs", "log_level"},
    "mempool": {"database_url", "listen", "node_url", "node_zmq_sequence", "log_level"},
    "history": {"database_url", "listen", "history_cache_mb", "log_level"},
    "gateway": {"tcp_listen", "max_sessions", "cost_hard_limit", "log_level"},
    "indexer": {"database_url", "node_url", "max_reorg_depth", "log_level"},
    "gateway_admin": {"target"},
}
# Abseil's own flags belong to --helpfull, not to --help.
ABSEIL_FLAGS = {"flagfile", "fromenv", "tryfromenv", "undefok", "help", "helpfull"}
TESTS = []


def test(function):
    TESTS.append(function)
    return function


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def clean_environment(**extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith("ELECTRUM_")}
    env.update(extra)
    return env


def help_flags(name, env=None):
    status, out, err = run_help(BINARIES[name], env or clean_environment())
    return status, out, err, flags_of(out)


@test
def help_lists_each_binarys_own_flags_with_defaults():
    for name in EXPECTED_FLAGS:
        status, out, err, flags = help_flags(name)
        expect("No flags matched" not in out, "%s --help matched no flag" % name)
        expect("never called" not in out, "%s --help has no usage message" % name)
        expect(status in (0, 1), "%s --help exited with %d: %s" % (name, status, err))
        missing = EXPECTED_FLAGS[name] - set(flags)
        expect(not missing, "%s --help lacks %s" % (name, sorted(missing)))
        expect(not ABSEIL_FLAGS & set(flags), "%s --help lists Abseil's own flags" % name)
        for flag, (default, text) in flags.items():
            expect(text, "%s --%s has no help text" % (name, flag))
        listed = set(re.findall(r"^    --(\w+)", out, re.M))
        expect(listed == set(flags),
               "%s --help has entries this test could not read: %s" %
               (name, sorted(listed - set(flags))))


@test
def stack_flag_list_matches_the_binaries():
    listed = set(re.findall(r'^\s+"(\w+)",', open(STACK_FLAGS_SOURCE).read(), re.M))
    expect(len(listed) > 50, "read %d names from %s" % (len(listed), STACK_FLAGS_SOURCE))
    union = set()
    for name in EXPECTED_FLAGS:
        union |= set(help_flags(name)[3])
    expect(union - listed == set(),
           "flags missing from common/config/stack_flags.cc: %s" % sorted(union - listed))
    expect(listed - union == set(),
           "common/config/stack_flags.cc lists flags no binary has: %s" % sorted(listed - union))


@test
def readme_gateway_table_matches_help():
    table = readme_table(open(README).read())
    expect(table is not None, "README.md has no gateway flags markers")
    generated = markdown_table(help_flags("gateway")[3])
    expect(table == generated,
           "README's gateway table differs from --help; regenerate it with "
           "`python3 integration_tests/flag_help.py table bazel-bin/gateway/server/"
           "electrum_gateway`:\n" + generated)


def warnings_in(stderr):
    return re.findall(r"warning: (ELECTRUM_\w+) matches no flag of any component", stderr)


@test
def environment_warns_only_about_names_no_component_knows():
    env = clean_environment(
        ELECTRUM_MAX_SESSIONS="20000",  # the gateway's
        ELECTRUM_NODE_ZMQ_SEQUENCE="tcp://127.0.0.1:1",  # the mempool service's
        ELECTRUM_RPCPORT="18443",  # simnode's
        ELECTRUM_DATA_DIR="/tmp/x",  # run's own
        ELECTRUM_TEST_PG_DSN="postgresql:///x",  # tools/test.sh's
        ELECTRUM_GATEWAY_SERVICE_HOST="10.96.0.12",  # Kubernetes service links
        ELECTRUM_GATEWAY_SERVICE_PORT_ELECTRUM="50001",
        ELECTRUM_GATEWAY_PORT="tcp://10.96.0.12:50001",
        ELECTRUM_GATEWAY_PORT_50001_TCP_ADDR="10.96.0.12",
        ELECTRUM_MAX_SESION="1",  # typos
        ELECTRUM_NO_SUCH_SETTING="1",
        ELECTRUM_GATEWAY_SERVICE_HOST_X="gateway")
    for name in ("blockchain", "gateway", "history", "migrate"):
        _, _, err, _ = help_flags(name, env)
        warned = sorted(warnings_in(err))
        expect(warned == ["ELECTRUM_GATEWAY_SERVICE_HOST_X", "ELECTRUM_MAX_SESION",
                          "ELECTRUM_NO_SUCH_SETTING"],
               "%s warned about %s:\n%s" % (name, warned, err))
        expect("did you mean ELECTRUM_MAX_SESSIONS" in err, "%s suggests no fix:\n%s" % (name, err))
    _, _, err, _ = help_flags("gateway", clean_environment(ELECTRUM_MAX_SESSIONS="nope"))
    expect("ELECTRUM_MAX_SESSIONS='nope'" in err, "a bad value is named: " + err)


def start_failure(name, *flags):
    """(status, output) of a binary that must refuse to start."""
    done = subprocess.run([BINARIES[name], *flags], capture_output=True, text=True, timeout=30,
                          env=clean_environment())
    return done.returncode, done.stdout + done.stderr


@test
def bad_node_urls_are_refused_before_anything_starts():
    for name in ("blockchain", "mempool", "indexer"):
        common = ["--database_url=postgresql://127.0.0.1:1/none"]
        if name != "indexer":
            common.append("--listen=127.0.0.1:0")
        status, output = start_failure(name, *common,
                                       "--node_url=http://alice:s3cret@127.0.0.1:notaport/")
        expect(status == 2, "%s exited %d on a bad URL: %s" % (name, status, output))
        expect("port 'notaport'" in output, "%s names the port: %s" % (name, output))
        expect("s3cret" not in output and "alice:***@" in output,
               "%s hides the password: %s" % (name, output))
        status, output = start_failure(name, *common,
                                       "--node_url=http://alice:s3cret@127.0.0.1:8332/",
                                       "--node_cookie_file=/tmp/.cookie")
        expect(status == 2 and "--node_cookie_file" in output,
               "%s refuses two sets of credentials: %s" % (name, output))


@test
def node_url_with_credentials_runs_the_stack():
    stack = Stack(BINARIES, "configuration", node_url=True)
    try:
        expect("@" in stack.node_url and "%40" in stack.node_url,
               "the stack's URL carries an encoded password: " + stack.node_url)
        tip = stack.node("getblockcount")
        client = negotiated(stack.tcp_port)
        header = client.result("blockchain.headers.subscribe")
        expect(header["height"] == tip, "indexed to the node's tip over the URL's credentials")
        fee = client.result("blockchain.estimatefee", 2)
        expect(isinstance(fee, (int, float)), "the blockchain service asks the node: %r" % fee)
        histogram = client.result("mempool.get_fee_histogram")
        expect(isinstance(histogram, list), "the mempool service mirrors the node")
        for process in stack.processes:
            if process.name == "simnode":
                continue  # the node was given its own password
            log = open(process.log_path).read()
            expect("p@ss" not in log and "%40ss" not in log,
                   "%s's log shows the password" % process.name)
    finally:
        stack.stop()


def main():
    started = time.time()
    failures = []
    for function in TESTS:
        began = time.time()
        try:
            function()
            print("ok   %s (%.1f s)" % (function.__name__, time.time() - began), flush=True)
        except Exception as error:  # noqa: BLE001 — every failure is reported
            failures.append(function.__name__)
            print("FAIL %s: %s" % (function.__name__, error), flush=True)
            traceback.print_exc()
    print("%d passed, %d failed in %.1f s" % (len(TESTS) - len(failures), len(failures),
                                              time.time() - started))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
