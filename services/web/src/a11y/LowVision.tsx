import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

const STORAGE_KEY = 'esc-low-vision';

interface LowVisionState {
  enabled: boolean;
  toggle(): void;
}

const LowVisionContext = createContext<LowVisionState>({ enabled: false, toggle: () => undefined });

function readStored(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
}

/**
 * «Версия для слабовидящих»: larger text, high contrast, wider letter spacing and no images, in the
 * same app (an attribute on <html> that styles.css reads), remembered per browser.
 */
export function LowVisionProvider({ children }: { children: ReactNode }) {
  const [enabled, setEnabled] = useState(readStored);
  useEffect(() => {
    document.documentElement.toggleAttribute('data-low-vision', enabled);
    try {
      localStorage.setItem(STORAGE_KEY, enabled ? 'on' : 'off');
    } catch {
      // Private mode without storage: the switch still works for this visit.
    }
  }, [enabled]);
  return <LowVisionContext.Provider value={{ enabled, toggle: () => setEnabled((v) => !v) }}>{children}</LowVisionContext.Provider>;
}

export const useLowVision = () => useContext(LowVisionContext);
