"""End-to-end tests of opening files, the layers panel and the export dialog (imported by
test_app.py). Files are opened through the same backend path as the dialog and drops
(`open_paths` accepts only granted paths; scripts/e2e.sh grants the tests/ folder)."""

import json
import os
import time

from selenium.webdriver.common.by import By

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIX = os.path.join(ROOT, "tests", "fixtures")


def _h():
    import test_app as t  # the shared helpers

    return t


def open_paths(d, paths):
    return d.execute_async_script(
        """const done = arguments[arguments.length - 1];
        window.atlasOpenPaths(arguments[0]).then(ids => done({ids}), e => done({error: String(e)}));""",
        paths,
    )


def body(d, attr):
    return d.find_element(By.TAG_NAME, "body").get_attribute(attr)


def shown_dialog(d, name):
    """The problems dialog, once it is shown for the file `name`."""
    for e in d.find_elements(By.ID, "problems-dialog"):
        if e.is_displayed() and name in e.text:
            return e
    return None


def test_load_layer_then_bad_files(d):
    t = _h()
    d.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=layers]").click()
    r = open_paths(d, [os.path.join(FIX, "layers", "zones-synthetic.geojson")])
    assert "ids" in r, r
    t.wait(d, lambda: body(d, "data-layers") == "1", "layer in the panel")
    row = t.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, "#layer-list li.layer"), "layer row")[0]
    assert "9 features" in row.text and "Polygon 6" in row.text, row.text
    t.js(d, "window.atlasMap.fitBounds([70.5, 33.5, 72.0, 34.5], {duration: 0})")
    t.wait_idle(d)
    drawn = t.wait(
        d,
        lambda: t.js(d, "return window.atlasMap.queryRenderedFeatures({layers: ['ul-1-fill','ul-1-line','ul-1-point']}).length"),
        "layer features drawn",
    )
    assert drawn >= 6, drawn
    t.shot(d, "08-layer-loaded")
    # Spatial join: incidents per polygon, as a table and a choropleth.
    t.js(d, "document.querySelector('#layer-list li.layer .btns button[title=Style]').click()")
    t.wait(d, lambda: d.find_element(By.CSS_SELECTOR, "button.join-btn"), "join button").click()
    table = t.wait(d, lambda: d.find_element(By.CSS_SELECTOR, "table.join"), "join table")
    assert "Synthetic zone" in table.text, table.text
    t.wait(d, lambda: "incidents ≥" in d.find_element(By.ID, "legend").text, "choropleth legend")
    t.wait_idle(d)
    t.shot(d, "08b-join-choropleth")
    # A file with problems: the dialog lists them with line numbers; nothing is loaded.
    open_paths(d, [os.path.join(FIX, "layers", "broken-synthetic.geojson")])
    dlg = t.wait(d, lambda: shown_dialog(d, "broken-synthetic"), "problems dialog")
    items = [li.text for li in dlg.find_elements(By.CSS_SELECTOR, "#problem-list li")]
    assert items[0].startswith("3:") and "95.2" in items[0], items
    assert items[1].startswith("5:"), items
    assert "Load the 3 valid records only" in dlg.text, dlg.text
    t.shot(d, "09-problems")
    d.find_element(By.ID, "problems-dismiss").click()
    time.sleep(0.5)
    assert body(d, "data-layers") == "1"
    # Not JSON: nothing can be loaded; earlier layers stay.
    open_paths(d, [os.path.join(FIX, "layers", "not-json.geojson")])
    dlg = t.wait(d, lambda: shown_dialog(d, "not-json"), "error dialog")
    assert "2:19" in dlg.text, dlg.text
    d.find_element(By.ID, "problems-close").click()
    assert body(d, "data-layers") == "1"
    # A path nobody chose is refused by the backend.
    r = open_paths(d, ["/etc/passwd"])
    assert "not chosen" in r.get("error", ""), r


def test_cancel_a_large_load(d):
    t = _h()
    big = os.path.join(ROOT, "tests", "e2e", "out", "big-synthetic.geojson")
    if not os.path.exists(big):
        with open(big, "w") as f:
            f.write('{"type":"FeatureCollection","features":[\n')
            for i in range(400_000):
                f.write(
                    '%s{"type":"Feature","properties":{"event_id_cnty":"SYN%d","event_date":"2025-10-%02d","event_type":"Battles"},'
                    '"geometry":{"type":"Point","coordinates":[%.4f,%.4f]}}\n'
                    % ("," if i else "", i, 1 + i % 28, 66 + (i % 997) / 200, 30 + (i % 991) / 200)
                )
            f.write("]}\n")
    before = t.count(d)
    open_paths(d, [big])
    t.wait(d, lambda: d.find_element(By.CSS_SELECTOR, "#imports .job").is_displayed(), "progress bar", 20)
    time.sleep(0.3)
    # Read in one call: the tray re-renders its rows on every poll (a found element goes stale).
    text = t.wait(d, lambda: t.js(d, "return document.querySelector('#imports .job-text')?.textContent"), "progress text")
    assert "MB" in text and "records" in text, text
    t.shot(d, "10-progress")
    assert t.js(d, "const b = document.querySelector('#imports .job-cancel'); if (b) b.click(); return !!b;")
    toast = t.wait(d, lambda: "cancelled" in d.find_element(By.ID, "toast").text and d.find_element(By.ID, "toast").text, "cancelled note", 30)
    assert "nothing changed" in toast, toast
    assert t.count(d) == before


def test_export_dialog_preview_and_file(d):
    t = _h()
    d.find_element(By.ID, "btn-export").click()
    t.wait(d, lambda: body(d, "data-export-preview") == "ready", "export preview", 60)
    w = t.js(d, "return document.getElementById('exp-preview').naturalWidth")
    assert 600 <= w <= 680, w
    assert "3508 × 2480 px" in d.find_element(By.ID, "exp-size").text
    t.shot(d, "11-export-dialog")
    out = os.path.join(ROOT, "tests", "e2e", "out", "export-from-app.pdf")
    if os.path.exists(out):
        os.remove(out)
    res = d.execute_async_script(
        """const done = arguments[arguments.length - 1];
        const inv = window.__TAURI__.core.invoke;
        const a = window.atlasApp;
        inv('export_map', {request: {paper: 'a4-landscape', width_px: null, height_px: null, dpi: 150, format: 'pdf',
            title: 'E2E export', subtitle: '', notes: '', bbox: a.viewBox(), filter: {}, step_days: null, window_days: null},
            path: arguments[0]}).then(r => done(r), e => done({error: String(e)}));""",
        out,
    )
    assert "error" not in res, res
    with open(out, "rb") as f:
        assert f.read(5) == b"%PDF-"
    d.find_element(By.CSS_SELECTOR, "#export-dialog .actions button").click()


def test_point_layer_as_incidents(d):
    t = _h()
    d.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=layers]").click()
    before = t.count(d)
    n_layers = int(body(d, "data-layers") or 0)
    open_paths(d, [os.path.join(FIX, "layers", "reports-synthetic.geojson")])
    t.wait(d, lambda: int(body(d, "data-layers") or 0) == n_layers + 1, "reports layer")
    t.js(d, "[...document.querySelectorAll('#layer-list li.layer')].find(l => l.textContent.includes('reports-synthetic')).querySelector('button.use-as-incidents').click()")
    dlg = t.wait(d, lambda: d.find_element(By.ID, "mapping-dialog"), "mapping dialog")
    chosen = t.js(d, "return Object.fromEntries([...document.querySelectorAll('#mapping-dialog select')].map(s => [s.dataset.field, s.value]))")
    assert chosen["date"] == "Date" and chosen["event_type"] == "Category" and chosen["fatalities"] == "Deaths", chosen
    t.shot(d, "14-mapping")
    d.find_element(By.ID, "mapping-apply").click()
    t.wait(d, lambda: t.count(d) == before + 5, "five more incidents", 30)
    assert "Raid" in d.find_element(By.ID, "legend").text
