"""Reads the flags a binary's --help lists, and writes the README's table
of gateway flags from them.

  python3 integration_tests/flag_help.py table bazel-bin/gateway/server/electrum_gateway

prints the table that README.md holds between its "gateway flags" markers;
configuration_pgtest fails when the two differ."""
import re
import subprocess
import sys

# Abseil's --help lists each flag as
#     --name (help text); default: value;
# wrapped over further, more indented lines.
ENTRY_START = re.compile(r"^    --\w+ ")
ENTRY = re.compile(r"^--(\w+) \((.*)\); default: (.*);$")
README_BEGIN = "<!-- gateway flags: begin -->"
README_END = "<!-- gateway flags: end -->"


def run_help(binary, env=None, argument="--help"):
    """(exit status, stdout, stderr) of `binary --help`."""
    done = subprocess.run([binary, argument], capture_output=True, text=True, timeout=60,
                          env=env)
    return done.returncode, done.stdout, done.stderr


def flags_of(help_text):
    """{name: (default, help)} from --help output; an entry this cannot read
    is left out (callers compare counts)."""
    entries, current = [], None
    for line in help_text.splitlines():
        if ENTRY_START.match(line):
            current = [line.strip()]
            entries.append(current)
        elif current is not None and line.startswith("      "):
            current.append(line.strip())
        else:
            current = None
    flags = {}
    for entry in entries:
        parsed = ENTRY.match(" ".join(entry))
        if parsed:
            name, text, default = parsed.groups()
            flags[name] = (default, text)
    return flags


def markdown_table(flags):
    rows = ["| flag | default | meaning |", "| --- | --- | --- |"]
    for name in sorted(flags):
        default, text = flags[name]
        shown = "`%s`" % default if default not in ('""', "") else "(empty)"
        rows.append("| `--%s` | %s | %s |" % (name, shown, text.replace("|", "\\|")))
    return "\n".join(rows)


def readme_table(readme_text):
    """The table between the README's markers, or None."""
    begin = readme_text.find(README_BEGIN)
    end = readme_text.find(README_END)
    if begin < 0 or end < begin:
        return None
    return readme_text[begin + len(README_BEGIN):end].strip()


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "table":
        sys.exit(__doc__)
    status, out, _ = run_help(sys.argv[2])
    print(markdown_table(flags_of(out)))
