/**
 * @module The product's own fields: title and description per locale (en/es/ru tabs), handle, status, brand,
 * categories, tags, typed attributes, media URLs and options. Saves as one create or one PATCH; the server's
 * problem+json field errors land next to the fields they name.
 */
import {
  ActionIcon,
  Button,
  Group,
  MultiSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Tabs,
  TagsInput,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import {
  useCategories,
  type Attribute,
  type AttributeType,
  type Product,
  type ProductInput,
} from '../../api/catalog';
import { ErrorAlert } from '../../components/error-alert';
import { applyFieldErrors } from '../../lib/errors';
import { useCatalogT } from './catalog-i18n';
import { LOCALES, compactText, pickText } from './catalog-display';

interface FormValues {
  title: Record<string, string>;
  description: Record<string, string>;
  handle: string;
  status: string;
  brand: string;
  category_ids: string[];
  tags: string[];
  attributes: Array<{ key: string; type: AttributeType; value: string }>;
  media: string[];
  options: Array<{ name: string; values: string[] }>;
}

function initialValues(product: Product | undefined): FormValues {
  const byLocale = (text: Record<string, string> | undefined) =>
    Object.fromEntries(LOCALES.map((l) => [l, text?.[l] ?? '']));
  return {
    title: byLocale(product?.title),
    description: byLocale(product?.description),
    handle: product?.handle ?? '',
    status: product?.status ?? 'draft',
    brand: product?.brand ?? '',
    category_ids: product?.category_ids ?? [],
    tags: product?.tags ?? [],
    attributes: (product?.attributes ?? []).map((a) => ({
      key: a.key,
      type: a.type,
      value: String(a.value),
    })),
    media: (product?.media ?? []).map((m) => m.url),
    options: (product?.options ?? []).map((o) => ({ name: o.name, values: o.values })),
  };
}

function attributeValue(attribute: FormValues['attributes'][number]): Attribute['value'] {
  if (attribute.type === 'number') return attribute.value.trim() === '' ? NaN : Number(attribute.value);
  if (attribute.type === 'boolean') return attribute.value === 'true';
  return attribute.value;
}

function toInput(values: FormValues): ProductInput {
  return {
    title: compactText(values.title),
    description: compactText(values.description),
    ...(values.handle.trim() ? { handle: values.handle.trim() } : {}),
    status: values.status as ProductInput['status'],
    brand: values.brand.trim() || null,
    category_ids: values.category_ids,
    tags: values.tags,
    attributes: values.attributes.map((a) => ({ key: a.key.trim(), type: a.type, value: attributeValue(a) })),
    media: values.media.map((url) => ({ url })),
    options: values.options.map((o) => ({ name: o.name.trim(), values: o.values })),
  };
}

interface ProductFormProps {
  product?: Product;
  saving: boolean;
  onSave: (input: ProductInput) => Promise<unknown>;
}

export function ProductForm({ product, saving, onSave }: ProductFormProps) {
  const { t } = useCatalogT();
  const categories = useCategories();
  const form = useForm<FormValues>({ initialValues: initialValues(product) });
  const [failure, setFailure] = useState<unknown>(null);
  const [locale, setLocale] = useState<string>('en');

  const fieldNames = (values: FormValues) => [
    ...LOCALES.flatMap((l) => [`title.${l}`, `description.${l}`]),
    ...values.attributes.flatMap((_, i) => [`attributes.${i}.key`, `attributes.${i}.value`]),
    ...values.options.flatMap((_, i) => [`options.${i}.name`, `options.${i}.values`]),
    ...values.media.map((_, i) => `media.${i}`),
    'title',
    'handle',
    'status',
    'brand',
    'category_ids',
    'tags',
    'attributes',
    'media',
    'options',
  ];

  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      await onSave(toInput(values));
      form.resetDirty();
    } catch (error) {
      // Field errors go next to their fields; whatever names no field shows above the form.
      if (!applyFieldErrors(form, error, fieldNames(values))) setFailure(error);
      const firstLocale = LOCALES.find((l) => form.errors[`title.${l}`] ?? form.errors[`description.${l}`]);
      if (firstLocale) setLocale(firstLocale);
    }
  });

  const titleError = form.errors.title;

  return (
    <form onSubmit={submit} data-testid="product-form">
      <Paper withBorder radius="md" p="md">
        <Stack gap="md">
          <Title order={4}>{t('catalog.editor.general')}</Title>
          {failure !== null && <ErrorAlert error={failure} data-testid="product-form-error" />}
          <Tabs value={locale} onChange={(value) => setLocale(value ?? 'en')}>
            <Tabs.List>
              {LOCALES.map((l) => (
                <Tabs.Tab
                  key={l}
                  value={l}
                  data-testid={`locale-tab-${l}`}
                  c={form.errors[`title.${l}`] || form.errors[`description.${l}`] ? 'red' : undefined}
                >
                  {t(`catalog.locales.${l}`)}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            {LOCALES.map((l) => (
              <Tabs.Panel key={l} value={l} pt="sm">
                <Stack gap="sm">
                  <TextInput
                    label={t('catalog.editor.title')}
                    description={l === 'en' ? undefined : t('catalog.editor.translationHint')}
                    required={l === 'en'}
                    maxLength={300}
                    {...form.getInputProps(`title.${l}`)}
                    error={form.errors[`title.${l}`] ?? (l === 'en' ? titleError : undefined)}
                    data-testid={`product-title-${l}`}
                  />
                  <Textarea
                    label={t('catalog.editor.description')}
                    autosize
                    minRows={2}
                    maxRows={8}
                    {...form.getInputProps(`description.${l}`)}
                    data-testid={`product-description-${l}`}
                  />
                </Stack>
              </Tabs.Panel>
            ))}
          </Tabs>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('catalog.editor.handle')}
              description={t('catalog.editor.handleHint')}
              {...form.getInputProps('handle')}
              data-testid="product-handle"
            />
            <Select
              label={t('catalog.editor.status')}
              data={(['draft', 'active', 'archived'] as const).map((value) => ({
                value,
                label: t(`catalog.status.${value}`),
              }))}
              allowDeselect={false}
              {...form.getInputProps('status')}
              data-testid="product-status"
            />
            <TextInput
              label={t('catalog.editor.brand')}
              {...form.getInputProps('brand')}
              data-testid="product-brand"
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <MultiSelect
              label={t('catalog.editor.categories')}
              placeholder={categories.data?.length ? undefined : t('catalog.editor.noCategories')}
              data={(categories.data ?? []).map((c) => ({ value: c.id, label: pickText(c.name) }))}
              searchable
              {...form.getInputProps('category_ids')}
              data-testid="product-categories"
            />
            <TagsInput
              label={t('catalog.editor.tags')}
              description={t('catalog.editor.tagsHint')}
              {...form.getInputProps('tags')}
              data-testid="product-tags"
            />
          </SimpleGrid>
          <TagsInput
            label={t('catalog.editor.media')}
            description={t('catalog.editor.mediaHint')}
            {...form.getInputProps('media')}
            data-testid="product-media"
          />
          <OptionsEditor form={form} />
          <AttributesEditor form={form} />
          <Group justify="flex-end">
            <Button type="submit" loading={saving} data-testid="product-save">
              {product ? t('catalog.editor.save') : t('catalog.editor.createProduct')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </form>
  );
}

type Form = ReturnType<typeof useForm<FormValues>>;

function OptionsEditor({ form }: { form: Form }) {
  const { t } = useCatalogT();
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text fw={500} size="sm">
          {t('catalog.editor.options')}
        </Text>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          onClick={() => form.insertListItem('options', { name: '', values: [] })}
          data-testid="option-add"
        >
          {t('catalog.editor.addOption')}
        </Button>
      </Group>
      {form.values.options.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('catalog.editor.noOptions')}
        </Text>
      )}
      {form.errors.options && (
        <Text size="sm" c="red">
          {form.errors.options}
        </Text>
      )}
      {form.values.options.map((_, i) => (
        <Group key={i} align="flex-start" gap="xs" wrap="nowrap">
          <TextInput
            w={180}
            placeholder={t('catalog.editor.optionName')}
            aria-label={t('catalog.editor.optionName')}
            {...form.getInputProps(`options.${i}.name`)}
            data-testid="option-name"
          />
          <TagsInput
            style={{ flex: 1 }}
            placeholder={t('catalog.editor.optionValues')}
            aria-label={t('catalog.editor.optionValues')}
            {...form.getInputProps(`options.${i}.values`)}
            data-testid="option-values"
          />
          <ActionIcon
            variant="subtle"
            color="red"
            mt={6}
            aria-label={t('catalog.editor.remove')}
            onClick={() => form.removeListItem('options', i)}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
    </Stack>
  );
}

function AttributesEditor({ form }: { form: Form }) {
  const { t } = useCatalogT();
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text fw={500} size="sm">
          {t('catalog.editor.attributes')}
        </Text>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          onClick={() => form.insertListItem('attributes', { key: '', type: 'text', value: '' })}
          data-testid="attribute-add"
        >
          {t('catalog.editor.addAttribute')}
        </Button>
      </Group>
      {form.values.attributes.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('catalog.editor.noAttributes')}
        </Text>
      )}
      {form.values.attributes.map((attribute, i) => (
        <Group key={i} align="flex-start" gap="xs" wrap="nowrap">
          <TextInput
            w={180}
            placeholder={t('catalog.editor.attributeKey')}
            aria-label={t('catalog.editor.attributeKey')}
            {...form.getInputProps(`attributes.${i}.key`)}
          />
          <Select
            w={130}
            aria-label={t('catalog.editor.attributeType')}
            data={(['text', 'number', 'boolean'] as const).map((value) => ({
              value,
              label: t(`catalog.attributeTypes.${value}`),
            }))}
            allowDeselect={false}
            {...form.getInputProps(`attributes.${i}.type`)}
          />
          {attribute.type === 'boolean' ? (
            <Select
              style={{ flex: 1 }}
              aria-label={t('catalog.editor.attributeValue')}
              data={[
                { value: 'true', label: t('catalog.editor.yes') },
                { value: 'false', label: t('catalog.editor.no') },
              ]}
              allowDeselect={false}
              {...form.getInputProps(`attributes.${i}.value`)}
            />
          ) : (
            <TextInput
              style={{ flex: 1 }}
              placeholder={t('catalog.editor.attributeValue')}
              aria-label={t('catalog.editor.attributeValue')}
              {...form.getInputProps(`attributes.${i}.value`)}
            />
          )}
          <ActionIcon
            variant="subtle"
            color="red"
            mt={6}
            aria-label={t('catalog.editor.remove')}
            onClick={() => form.removeListItem('attributes', i)}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
    </Stack>
  );
}
