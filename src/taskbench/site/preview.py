"""``make preview``: serve the built site on 127.0.0.1 only.

asv's own ``asv preview`` listens on every interface; this serves the same folder with the
standard library's HTTP server, bound to the loopback address.

Usage::

    python -m taskbench.site.preview [--port PORT] [--config asv.conf.json]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
from typing import Sequence

from taskbench import arguments
from taskbench.arguments import bounded
from taskbench.asvadapter.config import CONFIG, ConfigError, folder
from taskbench.site.swap import settle

DEFAULT_PORT = 8080


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.site.preview", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 after Ctrl-C, 2 when there is no site or the port is taken.")
    parser.add_argument("--port", type=bounded(int, 1, 65535), default=DEFAULT_PORT)
    parser.add_argument("--config", type=arguments.path, default=CONFIG)
    args = parser.parse_args(argv)
    try:
        html_dir = folder("html_dir", args.config)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    said = settle(html_dir)  # a build killed while swapping the site in
    if said:
        print(said, flush=True)
    if not (html_dir / "index.html").is_file():
        print(f"error: no site in {html_dir} yet: run `make site` (or `make bench`)",
              file=sys.stderr)
        return 2
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html_dir))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as error:
        print(f"error: cannot serve on 127.0.0.1:{args.port} ({error.strerror or error}); "
              "choose another port: make preview PORT=8081", file=sys.stderr)
        return 2
    print(f"Serving {html_dir} on http://127.0.0.1:{args.port}/ only (Ctrl-C stops)",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nstopped.")
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
