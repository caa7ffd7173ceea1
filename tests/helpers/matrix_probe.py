"""Print what every role actually gets on every route (a tool for writing the matrix's table, not a test).

    .venv/bin/python -m tests.helpers.matrix_probe [endpoint-substring]
"""
import sys
import time

from app import create_app
from config import TestConfig
from tests.helpers import matrix


def main(filter_: str = "") -> None:
    from tests.test_authorization_matrix import TABLE, all_routes, build_url, send

    app = create_app(TestConfig)
    with app.app_context():
        started = time.perf_counter()
        with matrix.world_on(app) as world:
            print(f"world built in {time.perf_counter() - started:.1f} s")
            for endpoint, method in all_routes(app):
                if filter_ not in endpoint:
                    continue
                row = TABLE.get(f"{endpoint} {method}")
                extra = {} if row is None else dict(params=row.params, json=row.json, data=row.data)
                cells = []
                t0 = time.perf_counter()
                for role in matrix.ROLES:
                    with matrix.rolled_back():
                        response = send(app, world, endpoint, method, role, **extra)
                    loc = response.headers.get("Location", "")
                    tag = "L" if "/auth/login" in loc else ("r" if loc else "")
                    cells.append(f"{role[:6]}={response.status_code}{tag}")
                url = build_url(app, world, endpoint, method, extra.get("params"))
                print(f"{endpoint} {method}: {' '.join(cells)}  [{url}] {time.perf_counter() - t0:.2f}s")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
