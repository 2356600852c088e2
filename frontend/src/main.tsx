import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { browserLocale } from './i18n';

document.documentElement.lang = localStorage.getItem('RaStore.locale')?.replace(/"/g, '') || browserLocale();

createRoot(document.getElementById('root')!).render(
    <StrictMode>
        <App />
    </StrictMode>
);
