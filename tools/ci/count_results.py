#!/usr/bin/env python3
"""Counts test cases from a Bazel build-event JSON file.

Each test target's cases come from its JUnit XML (GoogleTest writes one per
case). A target that failed without a readable XML, or never ran because its
build failed, counts as one failed case. Prints failing targets and a final
"N passed, N failed" line; exits 1 on any failure or when nothing ran.

Usage: count_results.py BUILD_EVENTS.json [EXTRA_PASSED EXTRA_FAILED]
"""
import json
import sys
import urllib.parse
import xml.etree.ElementTree as ElementTree


def cases_in(xml_path):
    """(passed, failed) test cases in one JUnit XML file, or None if unreadable."""
    try:
        root = ElementTree.parse(xml_path).getroot()
    except (OSError, ElementTree.ParseError):
        return None
    passed = failed = 0
    for case in root.iter("testcase"):
        if case.get("status") == "notrun" or case.find("skipped") is not None:
            continue
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        else:
            passed += 1
    return passed, failed


def main():
    events_path = sys.argv[1]
    extra_passed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    extra_failed = int(sys.argv[3]) if len(sys.argv) > 3 else 0

    xml_by_label = {}
    status_by_label = {}
    test_targets = set()
    build_failed = set()
    with open(events_path, encoding="utf-8") as events:
        for line in events:
            event = json.loads(line)
            ident = event.get("id", {})
            if "testResult" in ident:
                label = ident["testResult"]["label"]
                for output in event.get("testResult", {}).get("testActionOutput", []):
                    if output.get("name") == "test.xml":
                        uri = output.get("uri", "")
                        xml_by_label[label] = urllib.parse.unquote(uri[len("file://"):])
            elif "testSummary" in ident:
                label = ident["testSummary"]["label"]
                status_by_label[label] = event.get("testSummary", {}).get("overallStatus", "")
            elif "targetConfigured" in ident:
                if "testSize" in event.get("configured", {}):
                    test_targets.add(ident["targetConfigured"]["label"])
            elif "targetCompleted" in ident:
                label = ident["targetCompleted"]["label"]
                # proto3 JSON omits false: no "success" means the build failed.
                if not event.get("completed", {}).get("success", False):
                    build_failed.add(label)

    passed, failed = extra_passed, extra_failed
    for label in sorted(test_targets | set(status_by_label)):
        status = status_by_label.get(label)
        if status is None:
            status = "FAILED_TO_BUILD" if label in build_failed else "NO_STATUS"
        counted = cases_in(xml_by_label[label]) if label in xml_by_label else None
        if counted is None:
            counted = (1, 0) if status == "PASSED" else (0, 1)
        if status != "PASSED" and counted[1] == 0:
            counted = (counted[0], 1)
        passed += counted[0]
        failed += counted[1]
        if status != "PASSED":
            print(f"  {label}: {status}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
