/**
 * @module The desk's toolbar above the views: my presence (online, away, offline — routing only assigns to
 * agents online) and "Take next", which hands me the oldest-waiting unassigned conversation of my teams.
 */
import { Button, Group, SegmentedControl, Text } from '@mantine/core';
import { IconPlayerTrackNext } from '@tabler/icons-react';
import { ApiError } from '../../api/client';
import { PRESENCES, type Presence } from '../../api/conversations';
import { useAgentState, useSetPresence, useTakeNext } from '../../api/conversations-routing';
import { notifyError, notifySuccess } from '../../lib/notify';
import { label, useInboxT } from './inbox-i18n';

const PRESENCE_COLORS: Record<Presence, string> = { online: 'teal', away: 'yellow', offline: 'gray' };

export function InboxToolbar(props: { selfId: string | null; onTaken: (conversationId: string) => void }) {
  const { t } = useInboxT();
  const agent = useAgentState(props.selfId);
  const presence = useSetPresence(props.selfId);
  const takeNext = useTakeNext();
  const current = presence.isPending ? presence.variables : (agent.data?.presence ?? 'offline');

  const take = () =>
    takeNext.mutate(undefined, {
      onSuccess: (c) => props.onTaken(c.id),
      onError: (error) =>
        error instanceof ApiError && error.status === 404
          ? notifySuccess(t('inbox.toolbar.nothingWaiting'))
          : notifyError(error),
    });

  return (
    <Group justify="space-between" mb="sm" gap="xs" wrap="wrap">
      <Group gap={6}>
        <Text size="xs" c="dimmed">
          {t('inbox.toolbar.presence')}
        </Text>
        <SegmentedControl
          size="xs"
          value={current}
          color={PRESENCE_COLORS[current]}
          onChange={(v) => presence.mutate(v as Presence, { onError: (e) => notifyError(e) })}
          data={PRESENCES.map((p) => ({ value: p, label: label('presence', p) }))}
          data-testid="presence-toggle"
          data-presence={current}
        />
      </Group>
      <Button
        size="xs"
        leftSection={<IconPlayerTrackNext size={14} />}
        loading={takeNext.isPending}
        onClick={take}
        data-testid="take-next"
      >
        {t('inbox.toolbar.takeNext')}
      </Button>
    </Group>
  );
}
