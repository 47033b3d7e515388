/**
 * @module Create or edit a webhook endpoint: URL, description, the event types it receives (or all of them,
 * including types added later) and whether it is active. Creating returns the signing secret, which the
 * caller shows once.
 */
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { ALL_EVENTS, useCreateWebhook, useEventTypes, useUpdateWebhook } from '../../../api/webhooks';
import type { CreatedWebhookEndpoint, WebhookEndpoint } from '../../../api/types';
import { errorMessage, formFieldName } from '../../../lib/errors';
import { notifyError, notifySuccess } from '../../../lib/notify';

interface WebhookFormModalProps {
  opened: boolean;
  /** The endpoint to edit; null to create one. */
  endpoint: WebhookEndpoint | null;
  onClose: () => void;
  onCreated?: (endpoint: CreatedWebhookEndpoint) => void;
}

export function WebhookFormModal({ opened, endpoint, onClose, onCreated }: WebhookFormModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={endpoint ? t('webhooks.editTitle') : t('webhooks.createTitle')}
      size="lg"
      centered
    >
      <WebhookForm endpoint={endpoint} onClose={onClose} onCreated={onCreated} />
    </Modal>
  );
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function WebhookForm({ endpoint, onClose, onCreated }: Omit<WebhookFormModalProps, 'opened'>) {
  const { t } = useTranslation();
  const eventTypes = useEventTypes();
  const create = useCreateWebhook();
  const update = useUpdateWebhook();

  const [url, setUrl] = useState(endpoint?.url ?? '');
  const [description, setDescription] = useState(endpoint?.description ?? '');
  const [allEvents, setAllEvents] = useState(endpoint ? endpoint.event_types.includes(ALL_EVENTS) : false);
  const [selected, setSelected] = useState<string[]>(
    endpoint?.event_types.filter((type) => type !== ALL_EVENTS) ?? [],
  );
  const [active, setActive] = useState(endpoint?.active ?? true);
  const [errors, setErrors] = useState<{ url?: string; events?: string }>({});
  const [formError, setFormError] = useState<unknown>(null);

  const known = eventTypes.data?.data ?? [];
  const descriptions = new Map(known.map((type) => [type.type, type.description]));
  // Keep types the endpoint already has even if the catalogue no longer lists them.
  const options = [...new Set([...known.map((type) => type.type), ...selected])].sort();

  const handleServerError = (error: unknown) => {
    if (error instanceof ApiError) {
      const next: { url?: string; events?: string } = {};
      for (const fieldError of error.errors) {
        const field = formFieldName(fieldError.field);
        if (field === 'url') next.url = fieldError.message;
        if (field.startsWith('event_types')) next.events = fieldError.message;
      }
      setErrors(next);
    }
    setFormError(error);
    notifyError(error, endpoint ? t('webhooks.updateFailed') : t('webhooks.createFailed'));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmedUrl = url.trim();
    const next = {
      url: isHttpUrl(trimmedUrl) ? undefined : t('webhooks.urlInvalid'),
      events: allEvents || selected.length > 0 ? undefined : t('webhooks.eventsRequired'),
    };
    setErrors(next);
    if (next.url || next.events) return;
    setFormError(null);
    const body = {
      url: trimmedUrl,
      description: description.trim(),
      event_types: allEvents ? [ALL_EVENTS] : selected,
      active,
    };
    if (endpoint) {
      update.mutate(
        { id: endpoint.id, patch: body },
        {
          onSuccess: () => {
            notifySuccess(t('webhooks.updated'));
            onClose();
          },
          onError: handleServerError,
        },
      );
    } else {
      create.mutate(body, {
        onSuccess: (created) => {
          notifySuccess(t('webhooks.created'));
          onClose();
          onCreated?.(created);
        },
        onError: handleServerError,
      });
    }
  };

  return (
    <form onSubmit={submit} data-testid="webhook-modal" noValidate>
      <Stack>
        {formError !== null && (
          <Alert color="red" variant="light" data-testid="webhook-form-error">
            {errorMessage(formError)}
          </Alert>
        )}
        <TextInput
          label={t('webhooks.url')}
          description={t('webhooks.urlHint')}
          placeholder="https://example.com/webhooks/omnis"
          required
          type="url"
          value={url}
          error={errors.url}
          onChange={(event) => setUrl(event.currentTarget.value)}
          maxLength={2000}
          data-testid="webhook-url-input"
        />
        <Textarea
          label={t('webhooks.description')}
          placeholder={t('webhooks.descriptionPlaceholder')}
          autosize
          minRows={1}
          maxRows={4}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
          maxLength={500}
          data-testid="webhook-description-input"
        />
        <Stack gap={6}>
          <Checkbox
            label={t('webhooks.allEvents')}
            description={t('webhooks.allEventsHint')}
            checked={allEvents}
            onChange={(event) => setAllEvents(event.currentTarget.checked)}
            data-testid="webhook-all-events"
          />
          <MultiSelect
            label={t('webhooks.eventTypes')}
            placeholder={allEvents ? t('webhooks.allEventsSelected') : t('webhooks.eventTypesPlaceholder')}
            data={options}
            value={allEvents ? [] : selected}
            onChange={setSelected}
            disabled={allEvents}
            searchable
            clearable
            hidePickedOptions
            maxDropdownHeight={280}
            nothingFoundMessage={eventTypes.isPending ? t('common.loading') : t('webhooks.noEventTypes')}
            error={errors.events ?? (eventTypes.isError ? errorMessage(eventTypes.error) : undefined)}
            renderOption={({ option }) => (
              <div>
                <Text size="sm" ff="monospace">
                  {option.value}
                </Text>
                {descriptions.get(option.value) && (
                  <Text size="xs" c="dimmed">
                    {descriptions.get(option.value)}
                  </Text>
                )}
              </div>
            )}
            data-testid="webhook-event-types"
          />
        </Stack>
        <Switch
          label={t('webhooks.activeLabel')}
          description={t('webhooks.activeHint')}
          checked={active}
          onChange={(event) => setActive(event.currentTarget.checked)}
          data-testid="webhook-active-switch"
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending} data-testid="webhook-submit">
            {endpoint ? t('common.save') : t('webhooks.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
