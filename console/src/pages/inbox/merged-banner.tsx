/**
 * @module The banner over a merged (read-only) conversation: it opens the conversation it went into and, for
 * agents who may write, undoes the merge after a confirmation — the messages come back here and it is active
 * again. The server refuses an undo it cannot do exactly (say, its messages were split off since); the refusal
 * shows as an error toast.
 */
import { Alert, Button, Group, Popover, Stack, Text } from '@mantine/core';
import { IconArrowBackUp, IconArrowMerge } from '@tabler/icons-react';
import { useState } from 'react';
import { useMerges, useUndoMerge, type ConversationDetail } from '../../api/conversations';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useInboxT } from './inbox-i18n';

export function MergedBanner(props: {
  conversation: ConversationDetail;
  canUndo: boolean;
  onOpen: (id: string) => void;
}) {
  const { t } = useInboxT();
  const { conversation: c } = props;
  const [confirming, setConfirming] = useState(false);
  const merges = useMerges(c.id, props.canUndo);
  const undo = useUndoMerge();
  // The merge that made this conversation read-only: the one it went into, not undone yet.
  const merge = merges.data?.data.find(
    (m) => m.kind === 'merge' && m.source_id === c.id && m.target_id === c.merged_into_id && !m.undone_at,
  );
  return (
    <Alert mt="xs" variant="light" color="gray" icon={<IconArrowMerge size={16} />} data-testid="pane-merged">
      <Group justify="space-between" gap="xs">
        <Text size="sm">{t('inbox.merge.banner')}</Text>
        <Group gap="xs">
          {props.canUndo && merge && (
            <Popover opened={confirming} onChange={setConfirming} width={300} withArrow withinPortal>
              <Popover.Target>
                <Button
                  size="xs"
                  variant="subtle"
                  leftSection={<IconArrowBackUp size={14} />}
                  onClick={() => setConfirming((o) => !o)}
                  data-testid="pane-unmerge"
                >
                  {t('inbox.merge.undo')}
                </Button>
              </Popover.Target>
              <Popover.Dropdown>
                <Stack gap="xs">
                  <Text size="sm" fw={600}>
                    {t('inbox.merge.undoTitle')}
                  </Text>
                  <Text size="xs">{t('inbox.merge.undoBody')}</Text>
                  <Button
                    size="xs"
                    leftSection={<IconArrowBackUp size={14} />}
                    loading={undo.isPending}
                    onClick={() =>
                      undo.mutate(merge.id, {
                        onSuccess: () => {
                          setConfirming(false);
                          notifySuccess(t('inbox.merge.undone'));
                        },
                        onError: (error) => notifyError(error),
                      })
                    }
                    data-testid="pane-unmerge-confirm"
                  >
                    {t('inbox.merge.undo')}
                  </Button>
                </Stack>
              </Popover.Dropdown>
            </Popover>
          )}
          <Button
            size="xs"
            variant="default"
            onClick={() => props.onOpen(c.merged_into_id!)}
            data-testid="pane-merged-open"
          >
            {t('inbox.merge.open')}
          </Button>
        </Group>
      </Group>
    </Alert>
  );
}
