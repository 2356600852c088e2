/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The backend serves the built app at "/" and the API at "/api" on the same origin.
export default defineConfig({
    base: '/',
    plugins: [react()],
    server: {
        proxy: {
            '/api': 'http://127.0.0.1:8000',
        },
    },
    build: {
        outDir: 'dist',
        chunkSizeWarningLimit: 2000,
        rollupOptions: {
            output: {
                // Libraries change less often than the app: separate files cache better.
                // (Only one-way splits: the chart code depends on vendor, never the reverse;
                // splitting MUI from react-admin makes an import cycle between chunks.)
                manualChunks: id => {
                    if (!id.includes('node_modules')) return undefined;
                    if (/node_modules\/(recharts|d3-[a-z-]+|victory-vendor)\//.test(id)) return 'charts';
                    return 'vendor';
                },
            },
        },
    },
    test: {
        environment: 'jsdom',
        setupFiles: ['./src/test/setup.ts'],
        include: ['src/**/*.test.{ts,tsx}'],
        css: false,
        testTimeout: 20000,
    },
});
