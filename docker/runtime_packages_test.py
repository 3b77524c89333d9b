"""The final image stage installs only docker/runtime-packages.txt: every
shared library the shipped binaries load must come from one of those
packages or their dependencies (apt's dependency closure), and every listed
package must exist in the Debian archive. Arguments: the package list, then
the binaries."""
import subprocess
import sys

PACKAGE_LIST, BINARIES = sys.argv[1], sys.argv[2:]


def run(*argv):
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


def main():
    packages = [line.strip() for line in open(PACKAGE_LIST)
                if line.strip() and not line.startswith("#")]
    results = []

    def check(condition, what):
        print(("ok   " if condition else "FAIL ") + what, flush=True)
        results.append(bool(condition))

    for package in packages:
        check(run("apt-cache", "show", package).returncode == 0,
              "%s is a Debian package" % package)
    closure = run("apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
                  "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", *packages)
    installed = {line.strip().split(":")[0] for line in closure.stdout.splitlines()
                 if line and not line.startswith(" ")}
    for binary in BINARIES:
        libraries = [line.split("=>")[1].split()[0] for line in run("ldd", binary).stdout.splitlines()
                     if "=>" in line and "/" in line.split("=>")[1]]
        check(libraries, "%s links shared libraries" % binary)
        for library in libraries:
            owner = None
            for candidate in (library, "/usr" + library, library.replace("/usr", "", 1)):
                found = run("dpkg", "-S", candidate)
                if found.returncode == 0:
                    owner = found.stdout.split(":")[0]
                    break
            check(owner in installed, "%s: %s (from %s) is in the image" % (
                binary.rsplit("/", 1)[-1], library, owner))
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
