/**
 * @module The location editor: kind, name, code, address, coordinates, time zone, opening hours (one line per
 * weekday, "10:00-14:00, 17:00-21:00", empty when closed), capabilities, pickup preparation time and the
 * same-day cut-off and radius. New and existing locations use the same form; the server's field errors land on
 * the fields they name.
 */
import {
  Alert,
  Button,
  Checkbox,
  Divider,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import {
  CAPABILITIES,
  LOCATION_KINDS,
  WEEKDAYS,
  useSaveLocation,
  type Capability,
  type Location,
  type LocationInput,
  type LocationKind,
  type OpeningHours,
  type Weekday,
} from '../../api/inventory';
import { ApiError } from '../../api/client';
import { errorMessage, formFieldName } from '../../lib/errors';
import { notifySuccess } from '../../lib/notify';
import { label, useInventoryT } from './inventory-i18n';

const INTERVAL = /^\s*((?:[01]\d|2[0-3]):[0-5]\d)\s*[-–]\s*((?:[01]\d|2[0-3]):[0-5]\d|24:00)\s*$/;

/** "10:00-14:00, 17:00-21:00" ⇄ [["10:00","14:00"],["17:00","21:00"]]; null when the text is not that shape. */
export function parseDay(text: string): Array<[string, string]> | null {
  if (!text.trim()) return [];
  const intervals: Array<[string, string]> = [];
  for (const part of text.split(',')) {
    const match = INTERVAL.exec(part);
    if (!match) return null;
    intervals.push([match[1]!, match[2]!]);
  }
  return intervals;
}

export const formatDay = (intervals: Array<[string, string]>): string =>
  intervals.map(([open, close]) => `${open}-${close}`).join(', ');

interface Values {
  kind: LocationKind;
  name: string;
  code: string;
  line1: string;
  postal_code: string;
  city: string;
  country: string;
  latitude: number | string;
  longitude: number | string;
  timezone: string;
  hours: Record<Weekday, string>;
  capabilities: Capability[];
  pickup_preparation_minutes: number | string;
  same_day_cutoff: string;
  same_day_radius_km: number | string;
  active: boolean;
}

function initialValues(location: Location | null): Values {
  const hours = Object.fromEntries(
    WEEKDAYS.map((day) => [day, location ? formatDay(location.opening_hours[day] ?? []) : '10:00-21:00']),
  ) as Record<Weekday, string>;
  return {
    kind: location?.kind ?? 'store',
    name: location?.name ?? '',
    code: location?.code ?? '',
    line1: location?.address.line1 ?? '',
    postal_code: location?.address.postal_code ?? '',
    city: location?.address.city ?? '',
    country: location?.address.country ?? 'ES',
    latitude: location?.latitude ?? '',
    longitude: location?.longitude ?? '',
    timezone: location?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    hours,
    capabilities: location?.capabilities ?? ['ship', 'pickup', 'returns'],
    pickup_preparation_minutes: location?.pickup_preparation_minutes ?? 60,
    same_day_cutoff: location?.same_day_cutoff ?? '',
    same_day_radius_km: location?.same_day_radius_km ?? '',
    active: location?.active ?? true,
  };
}

/** Server field paths (`address.city`, `opening_hours.mon.0`) → this form's fields. */
const FIELD_ALIASES: Array<[RegExp, string]> = [
  [/^address\.(line1|postal_code|city|country)/, '$1'],
  [/^opening_hours\.(\w+)/, 'hours.$1'],
];

export function LocationEditor(props: { location: Location | null; opened: boolean; onClose: () => void }) {
  const { t } = useInventoryT();
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={
        props.location
          ? t('inventory.locations.editTitle', { code: props.location.code })
          : t('inventory.locations.newTitle')
      }
      size="xl"
      centered
    >
      {props.opened && <EditorForm location={props.location} onClose={props.onClose} />}
    </Modal>
  );
}

function EditorForm({ location, onClose }: { location: Location | null; onClose: () => void }) {
  const { t } = useInventoryT();
  const save = useSaveLocation();
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<Values>({
    initialValues: initialValues(location),
    validate: {
      name: (v) => (v.trim() ? null : t('inventory.receive.required')),
      code: (v) => (v.trim() ? null : t('inventory.receive.required')),
      latitude: (v) => (v === '' ? t('inventory.receive.required') : null),
      longitude: (v) => (v === '' ? t('inventory.receive.required') : null),
      hours: Object.fromEntries(
        WEEKDAYS.map((day) => [
          day,
          (v: string) => (parseDay(v) ? null : t('inventory.locations.hoursInvalid')),
        ]),
      ) as Record<Weekday, (v: string) => string | null>,
    },
  });

  const submit = form.onSubmit((values) => {
    setFailure(null);
    const sameDay = values.capabilities.includes('same_day');
    const input: Partial<LocationInput> = {
      name: values.name.trim(),
      code: values.code.trim(),
      address: {
        line1: values.line1.trim(),
        postal_code: values.postal_code.trim(),
        city: values.city.trim(),
        country: values.country.trim().toUpperCase(),
      },
      latitude: Number(values.latitude),
      longitude: Number(values.longitude),
      timezone: values.timezone.trim(),
      opening_hours: Object.fromEntries(
        WEEKDAYS.map((day) => [day, parseDay(values.hours[day]) ?? []]),
      ) as OpeningHours,
      capabilities: values.capabilities,
      pickup_preparation_minutes: Number(values.pickup_preparation_minutes || 0),
      // Without same-day the server wants neither; with it, both (it says so, naming the field).
      same_day_cutoff: sameDay ? values.same_day_cutoff.trim() || null : null,
      same_day_radius_km:
        sameDay && values.same_day_radius_km !== '' ? Number(values.same_day_radius_km) : null,
      active: values.active,
    };
    if (!location) input.kind = values.kind;
    save.mutate(
      { id: location?.id ?? null, input },
      {
        onSuccess: (saved) => {
          notifySuccess(t('inventory.locations.saved', { code: saved.code }));
          onClose();
        },
        onError: (error) => {
          if (error instanceof ApiError)
            for (const fieldError of error.errors) {
              let field = formFieldName(fieldError.field);
              for (const [pattern, replacement] of FIELD_ALIASES) field = field.replace(pattern, replacement);
              // `hours.mon.0.1` → the Monday line; anything else by its own name.
              const known = Object.keys(form.values).find((k) => field === k || field.startsWith(`${k}.`));
              if (known === 'hours')
                form.setFieldError(field.split('.').slice(0, 2).join('.'), fieldError.message);
              else if (known) form.setFieldError(known, fieldError.message);
            }
          setFailure(error);
        },
      },
    );
  });

  const sameDay = form.values.capabilities.includes('same_day');
  return (
    <form onSubmit={submit} noValidate data-testid="location-form">
      <Stack>
        {failure !== null && (
          <Alert color="red" variant="light" data-testid="location-form-error">
            {errorMessage(failure)}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('inventory.locations.kind')}
            data={LOCATION_KINDS.map((kind) => ({ value: kind, label: label('kinds', kind) }))}
            disabled={location !== null}
            allowDeselect={false}
            {...form.getInputProps('kind')}
          />
          <TextInput
            label={t('inventory.locations.name')}
            required
            data-testid="location-name"
            {...form.getInputProps('name')}
          />
          <TextInput
            label={t('inventory.locations.code')}
            required
            data-testid="location-code"
            {...form.getInputProps('code')}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 4 }}>
          <TextInput
            label={t('inventory.locations.line1')}
            {...form.getInputProps('line1')}
            style={{ gridColumn: 'span 2' }}
          />
          <TextInput label={t('inventory.locations.postalCode')} {...form.getInputProps('postal_code')} />
          <TextInput label={t('inventory.locations.city')} {...form.getInputProps('city')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <TextInput
            label={t('inventory.locations.country')}
            maxLength={2}
            {...form.getInputProps('country')}
          />
          <NumberInput
            label={t('inventory.locations.latitude')}
            decimalScale={6}
            data-testid="location-latitude"
            {...form.getInputProps('latitude')}
          />
          <NumberInput
            label={t('inventory.locations.longitude')}
            decimalScale={6}
            data-testid="location-longitude"
            {...form.getInputProps('longitude')}
          />
          <TextInput label={t('inventory.locations.timezone')} {...form.getInputProps('timezone')} />
        </SimpleGrid>
        <Divider label={t('inventory.locations.capabilities')} labelPosition="left" />
        <Checkbox.Group {...form.getInputProps('capabilities')} data-testid="location-capabilities">
          <Group>
            {CAPABILITIES.map((capability) => (
              <Checkbox
                key={capability}
                value={capability}
                label={label('capabilities', capability)}
                data-testid={`capability-${capability}`}
              />
            ))}
          </Group>
        </Checkbox.Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NumberInput
            label={t('inventory.locations.preparation')}
            description={t('inventory.locations.preparationHint')}
            min={0}
            allowDecimal={false}
            data-testid="location-preparation"
            {...form.getInputProps('pickup_preparation_minutes')}
          />
          <TextInput
            label={t('inventory.locations.cutoff')}
            description={t('inventory.locations.cutoffHint')}
            placeholder="14:00"
            disabled={!sameDay}
            data-testid="location-cutoff"
            {...form.getInputProps('same_day_cutoff')}
          />
          <NumberInput
            label={t('inventory.locations.radius')}
            description={t('inventory.locations.radiusHint')}
            disabled={!sameDay}
            min={0}
            data-testid="location-radius"
            {...form.getInputProps('same_day_radius_km')}
          />
        </SimpleGrid>
        <Divider label={t('inventory.locations.hours')} labelPosition="left" />
        <Text size="xs" c="dimmed">
          {t('inventory.locations.hoursHint')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing={6}>
          {WEEKDAYS.map((day) => (
            <TextInput
              key={day}
              label={label('weekdays', day)}
              placeholder={t('inventory.locations.closed')}
              size="xs"
              data-testid={`location-hours-${day}`}
              {...form.getInputProps(`hours.${day}`)}
            />
          ))}
        </SimpleGrid>
        <Switch
          label={t('inventory.locations.active')}
          {...form.getInputProps('active', { type: 'checkbox' })}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('inventory.common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="location-save">
            {t('inventory.common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
