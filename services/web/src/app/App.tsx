import { QueryClientProvider } from '@tanstack/react-query';
import { ThemeProvider } from '@gravity-ui/uikit';
import { RouterProvider } from 'react-router';
import { LowVisionProvider, useLowVision } from '../a11y/LowVision';
import { queryClient } from '../api/client';
import { SessionProvider } from '../session/SessionProvider';
import { router } from './routes';

function Themed() {
  const { enabled } = useLowVision();
  return (
    <ThemeProvider theme={enabled ? 'light-hc' : 'light'} lang="ru">
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </ThemeProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <LowVisionProvider>
        <Themed />
      </LowVisionProvider>
    </QueryClientProvider>
  );
}
