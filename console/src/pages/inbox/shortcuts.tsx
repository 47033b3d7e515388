/**
 * @module The inbox's keyboard shortcuts and their `?` help overlay. Keys act only when focus is not in a text
 * field (so typing "n" in a reply stays a letter); Ctrl+Enter, which sends, lives in the composer.
 */
import { Kbd, Modal, Table } from '@mantine/core';
import { useEffect } from 'react';
import { useInboxT } from './inbox-i18n';

export interface ShortcutHandlers {
  next: () => void;
  previous: () => void;
  reply: () => void;
  note: () => void;
  resolve: () => void;
  help: () => void;
}

const KEYS: Array<{ keys: string[]; action: keyof ShortcutHandlers | 'send' }> = [
  { keys: ['J'], action: 'next' },
  { keys: ['K'], action: 'previous' },
  { keys: ['R'], action: 'reply' },
  { keys: ['N'], action: 'note' },
  { keys: ['E'], action: 'resolve' },
  { keys: ['Ctrl', 'Enter'], action: 'send' },
  { keys: ['?'], action: 'help' },
];

function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

export function useInboxShortcuts(handlers: ShortcutHandlers): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingInField(e.target)) return;
      const map: Record<string, keyof ShortcutHandlers> = {
        j: 'next',
        k: 'previous',
        r: 'reply',
        n: 'note',
        e: 'resolve',
        '?': 'help',
      };
      const action = map[e.key.toLowerCase()] ?? map[e.key];
      if (!action) return;
      e.preventDefault();
      handlers[action]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [handlers]);
}

export function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useInboxT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('inbox.shortcuts.title')} data-testid="shortcuts-help">
      <Table>
        <Table.Tbody>
          {KEYS.map(({ keys, action }) => (
            <Table.Tr key={action}>
              <Table.Td w={120}>
                {keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' + '}
                    <Kbd>{k}</Kbd>
                  </span>
                ))}
              </Table.Td>
              <Table.Td>{t(`inbox.shortcuts.${action}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
