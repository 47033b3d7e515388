/**
 * @module Where a product is sold: every channel with its publication state, publish/unpublish, and the
 * channel's explicit overrides — what it shows differently ("title differs on Instagram") is listed, never
 * hidden; an override is set or removed in a small editor.
 */
import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useChannels } from '../../api/channels';
import { usePublication, useSetOverrides, type Product } from '../../api/catalog';
import type { Channel } from '../../api/types';
import { ChannelBadge } from '../../components/channel-icon';
import { ErrorAlert } from '../../components/error-alert';
import { applyFieldErrors } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { notifyError } from '../../lib/notify';
import { useForm } from '@mantine/form';
import { useCatalogT } from './catalog-i18n';
import { LOCALES, compactText } from './catalog-display';

export function PublicationPanel({ product, canWrite }: { product: Product; canWrite: boolean }) {
  const { t } = useCatalogT();
  const channels = useChannels();
  const publication = usePublication();
  const [editing, setEditing] = useState<Channel | null>(null);
  const channelMap = new Map(channels.items.map((c) => [c.id, c]));

  return (
    <Paper withBorder radius="md" p="md" data-testid="publication-panel">
      <Title order={4} mb="sm">
        {t('catalog.publication.title')}
      </Title>
      {channels.error ? (
        <ErrorAlert error={channels.error} onRetry={() => void channels.refetch()} />
      ) : channels.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {channels.isPending ? t('catalog.loading') : t('catalog.publication.noChannels')}
        </Text>
      ) : (
        <Table.ScrollContainer type="native" minWidth={560}>
          <Table verticalSpacing="xs">
            <Table.Tbody>
              {channels.items.map((channel) => {
                const state = product.channels.find((c) => c.channel_id === channel.id);
                const published = state?.published ?? false;
                return (
                  <Table.Tr key={channel.id} data-testid="publication-row" data-channel={channel.name}>
                    <Table.Td>
                      <Stack gap={4} align="flex-start">
                        <ChannelBadge id={channel.id} channels={channelMap} />
                        <Group gap={4}>
                          {(state?.differs ?? []).map((field) => (
                            <Badge
                              key={field}
                              color="yellow"
                              variant="light"
                              tt="none"
                              data-testid="publication-differs"
                            >
                              {t('catalog.publication.differs', {
                                field: t(`catalog.publication.fields.${field}`),
                                channel: channel.name,
                              })}
                            </Badge>
                          ))}
                        </Group>
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      {published ? (
                        <Badge color="teal" variant="light" data-testid="publication-state">
                          {t('catalog.publication.published')}
                        </Badge>
                      ) : (
                        <Badge color="gray" variant="light" data-testid="publication-state">
                          {t('catalog.publication.notPublished')}
                        </Badge>
                      )}
                      {state?.published_at && (
                        <Text size="xs" c="dimmed">
                          {formatDateTime(state.published_at)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {canWrite && (
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="subtle"
                            onClick={() => setEditing(channel)}
                            data-testid="override-edit"
                          >
                            {t('catalog.publication.overrides')}
                          </Button>
                          <Button
                            size="xs"
                            variant={published ? 'default' : 'filled'}
                            loading={publication.isPending && publication.variables?.channelId === channel.id}
                            onClick={() =>
                              publication.mutate(
                                { productId: product.id, channelId: channel.id, publish: !published },
                                { onError: (error) => notifyError(error, t('catalog.publication.failed')) },
                              )
                            }
                            data-testid="publication-toggle"
                          >
                            {published
                              ? t('catalog.publication.unpublish')
                              : t('catalog.publication.publish')}
                          </Button>
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && <OverridesModal product={product} channel={editing} onClose={() => setEditing(null)} />}
    </Paper>
  );
}

interface OverrideValues {
  title: Record<string, string>;
  status: string;
}

const DEFAULT_STATUS = 'default';

function OverridesModal(props: { product: Product; channel: Channel; onClose: () => void }) {
  const { product, channel, onClose } = props;
  const { t } = useCatalogT();
  const save = useSetOverrides();
  const [failure, setFailure] = useState<unknown>(null);
  const current = product.channels.find((c) => c.channel_id === channel.id)?.overrides ?? {};
  const form = useForm<OverrideValues>({
    initialValues: {
      title: Object.fromEntries(LOCALES.map((l) => [l, current.title?.[l] ?? ''])),
      status: current.status ?? DEFAULT_STATUS,
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    const title = compactText(values.title);
    try {
      await save.mutateAsync({
        productId: product.id,
        channelId: channel.id,
        patch: {
          // An empty override means "show the product's own": the server removes it on null.
          title: Object.keys(title).length ? title : null,
          status: values.status === DEFAULT_STATUS ? null : (values.status as 'draft' | 'active'),
        },
      });
      onClose();
    } catch (error) {
      if (!applyFieldErrors(form, error, [...LOCALES.map((l) => `title.${l}`), 'title', 'status']))
        setFailure(error);
    }
  });

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('catalog.publication.overridesTitle', { channel: channel.name })}
    >
      <form onSubmit={submit} data-testid="override-form">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('catalog.publication.overridesHint')}
          </Text>
          {failure !== null && <ErrorAlert error={failure} />}
          <Tabs defaultValue="en">
            <Tabs.List>
              {LOCALES.map((l) => (
                <Tabs.Tab key={l} value={l}>
                  {t(`catalog.locales.${l}`)}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            {LOCALES.map((l) => (
              <Tabs.Panel key={l} value={l} pt="xs">
                <TextInput
                  label={t('catalog.publication.titleOverride')}
                  placeholder={product.title[l] ?? ''}
                  {...form.getInputProps(`title.${l}`)}
                  data-testid={`override-title-${l}`}
                />
              </Tabs.Panel>
            ))}
          </Tabs>
          <Select
            label={t('catalog.publication.statusOverride')}
            data={[
              { value: DEFAULT_STATUS, label: t('catalog.publication.statusDefault') },
              { value: 'active', label: t('catalog.status.active') },
              { value: 'draft', label: t('catalog.status.draft') },
            ]}
            allowDeselect={false}
            {...form.getInputProps('status')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('catalog.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="override-save">
              {t('catalog.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
