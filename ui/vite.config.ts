import { defineConfig, type Plugin } from 'vite';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { resolve, join } from 'node:path';

const dataDir = resolve(__dirname, '../data');

/** The bundled data files the page and the engine read: data/*.geojson and attribution.json. */
function dataFiles(): string[] {
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir).filter((f) => f.endsWith('.geojson') || f === 'attribution.json');
}

/** Serve ../data/ under /data/ in dev and copy it into dist/data/ at build. */
function bundledData(): Plugin {
  return {
    name: 'border-atlas-data',
    configureServer(server) {
      server.middlewares.use('/data', (req, res, next) => {
        const name = (req.url ?? '').replace(/^\//, '').split('?')[0];
        if (name === 'index.json') return void res.end(JSON.stringify(dataFiles()));
        if (!dataFiles().includes(name)) return next();
        res.setHeader('Content-Type', 'application/json');
        res.end(readFileSync(join(dataDir, name)));
      });
    },
    generateBundle() {
      for (const f of dataFiles()) {
        this.emitFile({ type: 'asset', fileName: `data/${f}`, source: readFileSync(join(dataDir, f)) });
      }
      // The page asks for this list instead of guessing which files exist.
      this.emitFile({ type: 'asset', fileName: 'data/index.json', source: JSON.stringify(dataFiles()) });
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [bundledData()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.ts'],
  },
} as never);
