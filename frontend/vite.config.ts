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
    },
    test: {
        environment: 'jsdom',
        setupFiles: ['./src/test/setup.ts'],
        include: ['src/**/*.test.{ts,tsx}'],
        css: false,
        testTimeout: 20000,
    },
});
