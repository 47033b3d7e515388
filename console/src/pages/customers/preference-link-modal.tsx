/**
 * @module "Preference link…" on Customer 360: mints a link to the customer's preference centre for a message
 * staff are about to send, through a chosen channel and to a chosen email or phone (a link sent to an email
 * proves that address when opened). The server shows the link once; it is then copied into the message.
 */
import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../api/customer-types';
import { useCreatePreferenceLink, type PreferenceLink } from '../../api/privacy-requests';
import { SecretRevealModal } from '../../components/secret-reveal-modal';
import { formatDateTime } from '../../lib/format';
import { notifyError } from '../../lib/notify';
import { ct } from './customer-actions-i18n';
import { useChannelMap } from './customer-display';
import { identifierTypeLabel } from './identifier-types';

interface Props {
  opened: boolean;
  customer: Customer;
  onClose: () => void;
}

export function PreferenceLinkModal({ opened, customer, onClose }: Props) {
  const [minted, setMinted] = useState<PreferenceLink | null>(null);
  return (
    <>
      <Modal opened={opened} onClose={onClose} title={ct('customerActions.link.title')} centered>
        <PreferenceLinkForm
          customer={customer}
          onClose={onClose}
          onMinted={(link) => {
            onClose();
            setMinted(link);
          }}
        />
      </Modal>
      <SecretRevealModal
        opened={minted !== null}
        title={ct('customerActions.link.createdTitle')}
        description={ct('customerActions.link.createdDescription', {
          date: minted ? formatDateTime(minted.expires_at) : '',
        })}
        secret={minted?.url ?? null}
        onClose={() => setMinted(null)}
      />
    </>
  );
}

function PreferenceLinkForm({
  customer,
  onClose,
  onMinted,
}: {
  customer: Customer;
  onClose: () => void;
  onMinted: (link: PreferenceLink) => void;
}) {
  const { t } = useTranslation();
  const channels = useChannelMap();
  const create = useCreatePreferenceLink();
  const [channelId, setChannelId] = useState<string | null>(null);
  const [identifierId, setIdentifierId] = useState<string | null>(null);
  const addresses = customer.identifiers.filter((i) => i.type === 'email' || i.type === 'phone');

  const submit = () =>
    create.mutate(
      { customerId: customer.id, channelId, identifierId },
      {
        onSuccess: onMinted,
        onError: (error) => notifyError(error, ct('customerActions.link.failed')),
      },
    );

  return (
    <Stack data-testid="preference-link-modal">
      <Text size="sm" c="dimmed">
        {ct('customerActions.link.hint')}
      </Text>
      <Select
        label={ct('customerActions.link.channel')}
        placeholder={ct('customerActions.link.none')}
        data={[...channels.values()].map((channel) => ({ value: channel.id, label: channel.name }))}
        value={channelId}
        onChange={setChannelId}
        clearable
        searchable
        comboboxProps={{ withinPortal: true }}
        data-testid="preference-link-channel"
      />
      <Select
        label={ct('customerActions.link.sentTo')}
        description={ct('customerActions.link.sentToHint')}
        placeholder={ct('customerActions.link.none')}
        data={addresses.map((identifier) => ({
          value: identifier.id,
          label: `${identifierTypeLabel(identifier.type)}: ${identifier.value}`,
        }))}
        value={identifierId}
        onChange={setIdentifierId}
        clearable
        disabled={addresses.length === 0}
        comboboxProps={{ withinPortal: true }}
        data-testid="preference-link-identifier"
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button loading={create.isPending} onClick={submit} data-testid="preference-link-create">
          {ct('customerActions.link.create')}
        </Button>
      </Group>
    </Stack>
  );
}
