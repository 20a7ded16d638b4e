import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { configure } from '@gravity-ui/uikit';
import '@gravity-ui/uikit/styles/styles.css';
import './styles.css';
import { App } from './app/App';

configure({ lang: 'ru' });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
