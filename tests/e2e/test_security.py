"""Hostile input end to end (issue #8): files whose strings carry script payloads are
loaded into the real app and shown in every place their text appears — search results,
incident panel (sources, claims, links), list, filters, legend, layers panel, feature popup,
problems dialog, export preview and SVG. A payload that ran would set `window.__pwned` or
leave an element with an event-handler attribute; neither may ever be observed."""

import os
import time

from selenium.webdriver.common.by import By

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HOSTILE = os.path.join(ROOT, "tests", "fixtures", "hostile")
OUT = os.path.join(ROOT, "tests", "e2e", "out")


def _t():
    import test_app as t

    return t


def assert_clean(d, where):
    t = _t()
    r = t.js(
        d,
        """return {pwned: window.__pwned === undefined ? null : window.__pwned,
                  handlers: document.querySelectorAll('[onerror],[onload],[onclick]').length,
                  scripts: [...document.scripts].filter(s => !s.src).length,
                  jsLinks: [...document.querySelectorAll('a[href]')].filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length};""",
    )
    assert r == {"pwned": None, "handlers": 0, "scripts": 0, "jsLinks": 0}, (where, r)


def test_hostile_strings_stay_text(d):
    t = _t()
    from test_files import body, open_paths

    assert_clean(d, "start")
    layers_before = int(body(d, "data-layers") or 0)
    incidents_before = t.count(d)
    r = open_paths(d, [os.path.join(HOSTILE, "incidents-payloads.geojson"), os.path.join(HOSTILE, "layer-payloads.geojson")])
    assert "ids" in r, r
    t.wait(d, lambda: int(body(d, "data-layers") or 0) == layers_before + 1, "hostile layer loaded", 60)
    t.wait(d, lambda: t.count(d) >= incidents_before + 5, "hostile incidents counted", 60)
    t.wait(d, lambda: "<img src=x" in d.find_element(By.ID, "legend").text, "legend updated", 30)
    assert_clean(d, "after load")
    # Layers panel and legend: the layer's name is a payload, shown literally.
    d.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=layers]").click()
    names = t.wait(d, lambda: t.js(d, "return [...document.querySelectorAll('#layer-list .layer-name')].map(e => e.textContent)"), "layer names")
    assert "layer-payloads" in names, names
    # The incidents' event type is a payload: the legend and the filters list it as text.
    legend = d.find_element(By.ID, "legend").text
    assert '<img src=x onerror="window.__pwned=1">' in legend, legend
    # Style the layer by a payload-named property: category colours come from payload values.
    t.js(d, "[...document.querySelectorAll('#layer-list li.layer')].find(l => l.textContent.includes('layer-payloads')).querySelector('.btns button[title=Style]').click()")
    sel = t.wait(d, lambda: d.find_element(By.CSS_SELECTOR, "select.style-by"), "style select")
    t.js(d, "const s = arguments[0]; s.value = 'category'; s.dispatchEvent(new Event('change'));", sel)
    t.wait(d, lambda: "category: <script>" in d.find_element(By.ID, "legend").text, "category legend")
    assert_clean(d, "layers panel and legend")
    # Filters: event types include a payload.
    d.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=filters]").click()
    assert '<img src=x onerror="window.__pwned=1">' in d.find_element(By.ID, "tab-filters").text
    # Search results and the incident panel (sources, claims, a javascript: link).
    box = d.find_element(By.ID, "search")
    box.clear()
    box.send_keys("HOSTILE-")
    texts = t.wait(
        d,
        lambda: t.js(d, "return [...document.querySelectorAll('#search-results li')].map(li => li.textContent)"),
        "search results",
    )
    assert any("<script>" in x or "<img" in x for x in texts), texts
    for ev in ["img", "script", "svg", "js", "style"]:
        box.clear()
        box.send_keys(f"HOSTILE-{ev}")
        # Find and click in one call: the list is redrawn while typing.
        t.wait(
            d,
            lambda: t.js(
                d,
                "const li = [...document.querySelectorAll('#search-results li')].find(l => l.textContent.includes(arguments[0])); if (li) li.click(); return !!li;",
                f"HOSTILE-{ev}",
            ),
            f"result {ev}",
        )
        detail = t.wait(d, lambda: d.find_element(By.ID, "tab-detail").text, f"detail {ev}")
        assert "HOSTILE" in detail, detail
        assert_clean(d, f"incident {ev}")
    detail = d.find_element(By.ID, "tab-detail").text
    assert "javascript:" in detail or "<" in detail, detail
    t.shot(d, "12-hostile-detail")
    # The list of incidents in view.
    t.js(d, "window.atlasMap.jumpTo({center: [71.1, 34.05], zoom: 10})")
    t.wait_idle(d)
    d.find_element(By.CSS_SELECTOR, ".tabs button[data-tab=list]").click()
    t.wait(d, lambda: "<" in d.find_element(By.ID, "list-rows").text, "payloads in the list")
    assert_clean(d, "list")
    # The feature popup of the hostile layer (properties named and valued with payloads).
    t.wait(d, lambda: t.js(d, "return window.atlasMap.queryRenderedFeatures({layers: window.atlasMap.getStyle().layers.filter(l => /^ul-.*-fill$/.test(l.id)).map(l => l.id)}).length"), "hostile polygon drawn")
    t.js(d, """const m = window.atlasMap; const p = m.project([70.95, 33.9]);
               m.fire('click', {point: p, lngLat: m.unproject(p), originalEvent: {}});""")
    pop = t.wait(d, lambda: d.find_element(By.CSS_SELECTOR, ".feature-popup").text, "feature popup")
    assert "<script>window.__pwned=2</script>" in pop, pop[:300]
    t.shot(d, "13-hostile-popup")
    assert_clean(d, "popup")
    # A file whose problems quote payloads.
    open_paths(d, [os.path.join(HOSTILE, "invalid-payloads.geojson")])
    from test_files import shown_dialog

    dlg = t.wait(d, lambda: shown_dialog(d, "invalid-payloads"), "problems dialog")
    assert '<img src=x onerror=window.__pwned=6>' in dlg.text, dlg.text
    assert_clean(d, "problems dialog")
    d.find_element(By.ID, "problems-dismiss").click()
    # Export: a payload title, previewed, and written as SVG (escaped there, text in the page).
    d.find_element(By.ID, "btn-export").click()
    title = t.wait(d, lambda: d.find_element(By.ID, "exp-title"), "export title")
    title.clear()
    title.send_keys('<script>window.__pwned=7</script> & "quotes"')
    time.sleep(1.0)
    t.wait(d, lambda: body(d, "data-export-preview") == "ready", "preview", 60)
    assert_clean(d, "export dialog")
    out = os.path.join(OUT, "hostile-export.svg")
    res = d.execute_async_script(
        """const done = arguments[arguments.length - 1];
        window.__TAURI__.core.invoke('export_map', {request: {paper: 'a4-landscape', width_px: null, height_px: null, dpi: 96,
          format: 'svg', title: '<script>window.__pwned=7</script> & "quotes"', subtitle: '', notes: '<img src=x onerror=alert(1)>',
          bbox: window.atlasApp.viewBox(), filter: {}, step_days: null, window_days: null}, path: arguments[0]})
          .then(r => done(r), e => done({error: String(e)}));""",
        out,
    )
    assert "error" not in res, res
    svg = open(out, encoding="utf-8").read()
    import re

    assert not re.search(r"<script|<img[\s>]", svg), "raw markup in the SVG"
    assert "&lt;img src=x onerror=alert(1)&gt;" in svg, "the note is missing or not escaped"
    assert "&lt;script&gt;window.__pwned=7&lt;/script&gt; &amp; " in svg, svg[:2000]
    d.find_element(By.CSS_SELECTOR, "#export-dialog .actions button").click()
    assert_clean(d, "end")
