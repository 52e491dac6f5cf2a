"""Benchmark: mod_cmcas pages against Apache serving a static file of the same size.

Speed and memory are reported as ratios measured inside one run on one server, so they
mean the same on any machine: requests per second of a module page divided by those of
a static copy of that page (same size, same authentication, same connection settings),
and the resident memory of the httpd children after serving each.

Run:  /usr/bin/python3 tests/bench/bench.py [--requests N] [--concurrency C]
Writes tests/gen/bench/result.json and prints a table. Fails (exit 1) only when a
request does not answer 200, never on a figure.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

from cmcas_httpd import CmcasHttpd, GEN_DIR, DEMO_PASSWORD  # noqa: E402

USER = "gael.classen"
PAGES = {
    "catalogue": "/",
    "catalogue-recherche": "/?q=randonnee",
    "activite": "/activite/1",
    "inscription": "/activite/1/inscription",
}


def ab(url, requests, concurrency):
    """Requests per second and failures, from ApacheBench with keep-alive."""
    out = subprocess.run(
        ["ab", "-q", "-k", "-n", str(requests), "-c", str(concurrency),
         "-A", f"{USER}:{DEMO_PASSWORD}", url],
        capture_output=True, text=True, timeout=600).stdout
    rps = float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))
    failed = int(re.search(r"Failed requests:\s+(\d+)", out).group(1))
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    return rps, failed + (int(non2xx.group(1)) if non2xx else 0)


def children_rss_kb(server):
    """Total resident memory of the httpd children (not the parent)."""
    out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(server.pid)],
                         capture_output=True, text=True).stdout
    return sum(int(x) for x in out.split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    # A cheap password hash: the benchmark measures the page, not bcrypt.
    server = CmcasHttpd("bench", htpasswd={USER: DEMO_PASSWORD}, auth_providers="file",
                        extra="\n".join([
                            "Alias /bench-static/ ${SRVROOT}/htdocs/",
                            "<Location /bench-static/>",
                            "    SetHandler none",
                            "</Location>",
                            "<Directory ${SRVROOT}/htdocs>",
                            "    Require valid-user",
                            "</Directory>",
                        ]).replace("${SRVROOT}", os.path.join(GEN_DIR, "bench")))
    server.write_files()
    server.start()
    results = {}
    failures = 0
    try:
        for name, path in PAGES.items():
            body = subprocess.run(["curl", "-sf", "-u", f"{USER}:{DEMO_PASSWORD}",
                                   server.url(path)], capture_output=True,
                                  check=True).stdout
            static = os.path.join(server.htdocs_dir, f"{name}.html")
            with open(static, "wb") as f:
                f.write(body)
            os.chmod(static, 0o644)
            module_url = server.url(path)
            static_url = server.url(f"/bench-static/{name}.html")
            ab(module_url, 200, args.concurrency)          # warm-up
            ab(static_url, 200, args.concurrency)
            ratios = []
            rss = {}
            for _ in range(args.rounds):
                s_rps, s_fail = ab(static_url, args.requests, args.concurrency)
                rss["static"] = children_rss_kb(server)
                m_rps, m_fail = ab(module_url, args.requests, args.concurrency)
                rss["module"] = children_rss_kb(server)
                failures += s_fail + m_fail
                ratios.append((m_rps / s_rps, m_rps, s_rps))
            ratios.sort()
            ratio, m_rps, s_rps = ratios[len(ratios) // 2]       # median round
            results[name] = {
                "bytes": len(body),
                "module_rps": round(m_rps, 1),
                "static_rps": round(s_rps, 1),
                "speed_ratio": round(ratio, 3),
                "rss_kb_after_static": rss["static"],
                "rss_kb_after_module": rss["module"],
            }
        # Leak check: the children's memory after many more module requests.
        before = children_rss_kb(server)
        for _ in range(3):
            ab(server.url("/?q=randonnee"), args.requests, args.concurrency)
        after = children_rss_kb(server)
        results["memory"] = {
            "rss_kb_before": before,
            "rss_kb_after_more_requests": after,
            "requests": 3 * args.requests,
            "growth_ratio": round(after / before, 3) if before else None,
        }
    finally:
        server.stop()
    out_dir = os.path.join(GEN_DIR, "bench")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "result.json"), "w") as f:
        json.dump(results, f, indent=2)
    print(f"{'page':22} {'bytes':>7} {'module/s':>9} {'static/s':>9} {'ratio':>6}"
          f" {'RSS static':>11} {'RSS module':>11}")
    for name in PAGES:
        r = results[name]
        print(f"{name:22} {r['bytes']:7} {r['module_rps']:9} {r['static_rps']:9}"
              f" {r['speed_ratio']:6} {r['rss_kb_after_static']:9}KB"
              f" {r['rss_kb_after_module']:9}KB")
    m = results["memory"]
    print(f"memory: {m['rss_kb_before']} KB -> {m['rss_kb_after_more_requests']} KB after "
          f"{m['requests']} more searches (x{m['growth_ratio']})")
    if failures:
        print(f"bench: {failures} requests failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
