"""Every command and the tile scheme refuse malformed and extreme arguments with an error
(never a panic that takes the app down): wrong types, missing fields, NaN/huge numbers,
very long strings, unknown ids, paths nobody chose, paths escaping the tile scheme."""

from selenium.webdriver.common.by import By

BAD_CALLS = [
    ("dataset_info", {"unexpected": "<script>"}),  # extra fields are ignored: must resolve
    ("set_filter", {"filter": {"bbox": [200, 0, -200, 0]}}),
    ("set_filter", {"filter": {"from": "yesterday"}}),
    ("set_filter", {"filter": {"border_km_max": -1}}),
    ("filter_counts", {"filter": {"geo_precision": [9]}}),
    ("histogram", {"filter": {}, "bin": "fortnight"}),
    ("incidents_in_view", {"filter": {}, "sort": "random()", "limit": 10}),
    ("incidents_in_view", {"filter": {}, "sort": "date", "limit": -5}),
    ("incident", {"eventId": "x" * 100_000}),
    ("incident", {"eventId": ""}),
    ("search", {"query": "q" * 10_000}),
    ("measure", {"points": [[0, 0], [1e308, 0]]}),
    ("measure", {"points": [[0, 0]] * 20_000}),
    ("point_info", {"lon": "east", "lat": 0}),
    ("point_info", {"lon": 0, "lat": 91}),
    ("open_source_url", {"url": "file:///etc/passwd"}),
    ("open_source_url", {"url": "javascript:alert(1)"}),
    ("open_paths", {"paths": ["/etc/shadow"]}),
    ("open_paths", {"paths": ["x"] * 1000}),
    ("import_action", {"id": 123456, "action": "cancel"}),
    ("import_action", {"id": 1, "action": "rm -rf"}),
    ("set_layer", {"id": 999, "meta": {"name": "x", "style": {}, "revision": 0}}),
    ("set_layer", {"id": 1, "meta": "not an object"}),
    ("remove_layer", {"id": 18446744073709551615}),
    ("reorder_layers", {"ids": [1, 1, 1]}),
    ("remove_incident_file", {"index": 4294967295}),
    ("layer_feature", {"id": 1, "index": 99999999}),
    ("export_preview", {"request": {"paper": "a0", "dpi": 300, "format": "pdf", "title": "", "bbox": [0, 0, 1, 1], "filter": {}}, "width": 600}),
    ("export_preview", {"request": {"paper": "a4-landscape", "dpi": 100000, "format": "pdf", "title": "", "bbox": [0, 0, 1, 1], "filter": {}}, "width": 600}),
    ("export_map", {"request": {"paper": "a4-landscape", "dpi": 300, "format": "pdf", "title": "", "bbox": [0, 0, 1, 1], "filter": {}}, "path": "/etc/cron.d/x.pdf"}),
    ("join_layer", {"id": 4242, "filter": {}}),
    ("export_data", {"what": "incidents", "id": None, "filter": {}, "format": "csv", "path": "/root/.bashrc.csv"}),
    ("export_data", {"what": "everything", "id": None, "filter": {}, "format": "exe", "path": None}),
]

BAD_TILES = [
    "../../../../etc/passwd",
    "1/0/0/0.png",
    "999999999999/0/0/0.pbf",
    "1/40/0/0.pbf",
    "1/2/9/9.pbf",
    "layer/1/0/30/0/0.pbf",
    "layer/99999/0/1/0/0.pbf",
    "layer/%00/0/1/0/0.pbf",
    "x" * 5000,
]


def test_commands_refuse_bad_arguments(d):
    import test_app as t

    res = d.execute_async_script(
        """const done = arguments[arguments.length - 1];
        const inv = window.__TAURI__.core.invoke;
        Promise.allSettled(arguments[0].map(([c, a]) => inv(c, a)))
          .then(r => done(r.map(x => x.status === 'rejected' ? 'rejected:' + String(x.reason).slice(0, 120) : 'ok')));""",
        BAD_CALLS,
    )
    out = list(zip([c for c, _ in BAD_CALLS], res))
    assert out[0][1] == "ok", out[0]
    for (cmd, r) in out[1:]:
        assert r.startswith("rejected:"), (cmd, r)
    tiles = d.execute_async_script(
        """const done = arguments[arguments.length - 1];
        const base = window.__TAURI__.core.convertFileSrc('', 'tiles');
        Promise.all(arguments[0].map(p => fetch(base + p).then(r => r.status, e => 'error: ' + e)))
          .then(done);""",
        BAD_TILES,
    )
    for p, st in zip(BAD_TILES, tiles):
        assert st in (400, 404) or str(st).startswith("error"), (p[:40], st)
    # Still alive and answering.
    assert t.js(d, "return document.body.dataset.ready") == "true"
    info = d.execute_async_script(
        "const done = arguments[arguments.length - 1]; window.__TAURI__.core.invoke('dataset_info').then(i => done(i.incidents), e => done(String(e)));"
    )
    assert isinstance(info, int) and info >= 10, info
    d.find_element(By.TAG_NAME, "body")
