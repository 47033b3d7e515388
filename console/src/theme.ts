/**
 * @module The console's Mantine theme: calm blues, comfortable radius, system fonts.
 */
import { Badge, createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'md',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: '650' },
  cursorType: 'pointer',
  components: {
    // Badges in table cells otherwise shrink to "WHATS…" when the table is narrow; a badge is short by nature.
    Badge: Badge.extend({ styles: { label: { overflow: 'visible' } } }),
  },
});
