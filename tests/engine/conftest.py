"""Reports the fuzzer's count at the end of the run (``make test`` prints it)."""


def pytest_terminal_summary(terminalreporter):
    for report in terminalreporter.stats.get("passed", []):
        properties = dict(report.user_properties)
        if "fuzz_programs" in properties:
            kinds = ", ".join(f"{count} {kind}" for kind, count in properties["fuzz_kinds"].items())
            terminalreporter.write_line(
                f"differential fuzzer: {properties['fuzz_programs']} random programs, all agreed "
                f"with torch ({kinds})"
            )
