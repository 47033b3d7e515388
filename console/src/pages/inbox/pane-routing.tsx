/**
 * @module The routing side of the open conversation: its team, its SLA badge (from `/sla`: running with the next due
 * time, at risk, breached, met), the bot-handoff flag, the customer's CSAT answer once resolved, and "Transfer"
 * to an agent or a team with a private note (`POST /transfer`).
 */
import {
  Badge,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlarm, IconArrowForwardUp, IconRobot, IconStarFilled } from '@tabler/icons-react';
import { useState } from 'react';
import type { Conversation } from '../../api/conversations';
import { useConversationSla, useCsatAnswers, useTeams, useTransfer } from '../../api/conversations-routing';
import type { User } from '../../api/types';
import { formatDateTime } from '../../lib/format';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/permissions';
import { label, useInboxT } from './inbox-i18n';

/** The label the bot puts on a conversation it hands to people (bot.service.ts). */
export const HANDOFF_LABEL = 'handoff';

const SLA_COLORS: Record<string, string> = {
  running: 'blue',
  paused: 'gray',
  at_risk: 'orange',
  breached: 'red',
  met: 'teal',
};

/** The conversation's SLA status; the tooltip names the soonest due time of a running timer. */
export function SlaBadge({ conversationId, size = 'sm' }: { conversationId: string; size?: 'xs' | 'sm' }) {
  const { t } = useInboxT();
  const sla = useConversationSla(conversationId);
  const status = sla.data?.status;
  if (!status) return null;
  const due = sla
    .data!.timers.filter((x) => !x.stopped_at && x.due_at)
    .sort((a, b) => (a.due_at! < b.due_at! ? -1 : 1))[0];
  const badge = (
    <Badge
      size={size}
      variant={status === 'breached' ? 'filled' : 'light'}
      color={SLA_COLORS[status] ?? 'gray'}
      leftSection={<IconAlarm size={size === 'xs' ? 10 : 12} />}
      data-testid="sla-badge"
      data-status={status}
    >
      {label('sla', status)}
    </Badge>
  );
  return due ? (
    <Tooltip
      label={t('inbox.sla.due', {
        metric: label('slaMetrics', due.metric),
        time: formatDateTime(due.due_at!),
      })}
      withArrow
    >
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

export function HandoffBadge({
  conversation,
  size = 'sm',
}: {
  conversation: Conversation;
  size?: 'xs' | 'sm';
}) {
  const { t } = useInboxT();
  if (!conversation.labels.includes(HANDOFF_LABEL)) return null;
  return (
    <Badge
      size={size}
      variant="light"
      color="violet"
      leftSection={<IconRobot size={size === 'xs' ? 10 : 12} />}
      data-testid="handoff-badge"
    >
      {t('inbox.pane.handedOff')}
    </Badge>
  );
}

/** The team (queue) the conversation is with. */
export function TeamBadge({ teamId }: { teamId: string | null }) {
  const { t } = useInboxT();
  const teams = useTeams(Boolean(teamId));
  if (!teamId) return null;
  const name = teams.data?.find((team) => team.id === teamId)?.name ?? teamId;
  return (
    <Badge size="sm" variant="outline" color="gray" tt="none" data-testid="team-badge">
      {t('inbox.pane.team', { name })}
    </Badge>
  );
}

/** The survey answer of a resolved conversation (the customer's latest one for it). */
export function CsatBadge({ conversation }: { conversation: Conversation }) {
  const { t } = useInboxT();
  const can = useCan();
  const resolved = conversation.status === 'resolved';
  const answers = useCsatAnswers(conversation.customer_id, resolved && can('customers:read'));
  const answer = answers.data?.find((a) => a.conversation_id === conversation.id);
  if (!resolved || !answer) return null;
  return (
    <Tooltip label={formatDateTime(answer.answered_at)} withArrow>
      <Badge
        size="sm"
        variant="light"
        color="yellow"
        leftSection={<IconStarFilled size={12} />}
        data-testid="csat-badge"
      >
        {t('inbox.pane.csat', { rating: answer.rating })}
      </Badge>
    </Tooltip>
  );
}

/** "Transfer": to an agent or a team, with a private note the next person reads. */
export function TransferButton({ conversation, users }: { conversation: Conversation; users: User[] }) {
  const { t } = useInboxT();
  const [opened, modal] = useDisclosure(false);
  const [target, setTarget] = useState<'agent' | 'team'>('agent');
  const [id, setId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const teams = useTeams(opened);
  const transfer = useTransfer(conversation.id);
  const options =
    target === 'agent'
      ? users
          .filter((u) => u.active && u.id !== conversation.assignee_id)
          .map((u) => ({ value: u.id, label: u.name }))
      : (teams.data ?? []).map((team) => ({ value: team.id, label: team.name }));

  const close = () => {
    modal.close();
    setId(null);
    setNote('');
  };
  const submit = () => {
    if (!id) return;
    transfer.mutate(
      {
        ...(target === 'agent' ? { assignee_id: id } : { team_id: id }),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
      {
        onSuccess: () => {
          notifySuccess(t('inbox.transfer.done'));
          close();
        },
        onError: (e) => notifyError(e),
      },
    );
  };

  return (
    <>
      <Button
        size="xs"
        variant="default"
        leftSection={<IconArrowForwardUp size={14} />}
        onClick={modal.open}
        data-testid="pane-transfer"
      >
        {t('inbox.pane.transfer')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('inbox.transfer.title')} data-testid="transfer-modal">
        <Stack gap="sm">
          <SegmentedControl
            value={target}
            onChange={(v) => {
              setTarget(v as 'agent' | 'team');
              setId(null);
            }}
            data={[
              { value: 'agent', label: t('inbox.transfer.agent') },
              { value: 'team', label: t('inbox.transfer.team') },
            ]}
            data-testid="transfer-target"
          />
          <Select
            data={options}
            value={id}
            onChange={setId}
            searchable
            label={target === 'agent' ? t('inbox.transfer.agent') : t('inbox.transfer.team')}
            nothingFoundMessage={t('inbox.transfer.none')}
            data-testid="transfer-select"
          />
          <Textarea
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            label={t('inbox.transfer.note')}
            placeholder={t('inbox.transfer.notePlaceholder')}
            autosize
            minRows={2}
            maxLength={20_000}
            data-testid="transfer-note"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('inbox.transfer.cancel')}
            </Button>
            <Button
              onClick={submit}
              disabled={!id}
              loading={transfer.isPending}
              data-testid="transfer-submit"
            >
              {t('inbox.transfer.submit')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
