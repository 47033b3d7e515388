/**
 * @module Checkout's payment block. This demo pays through the `test` card provider, which takes processor test
 * tokens instead of card numbers (a real shop would get such a token from the processor's own card form, so a
 * card number never reaches Omnis): the shopper picks the outcome to try — approved, declined, or confirmed by
 * the bank later. A gift card (code checked against its balance) can pay first, the card the rest.
 */
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCreditCard, IconGift, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { checkGiftCard, TEST_TOKENS, type TestToken } from '../../api/store-checkout';
import type { Money } from '../../api/store';
import { useShop } from './shop-context';
import { formatMoney } from './shop-format';
import { useShopT, type ShopKey } from './shop-i18n';

export interface GiftCardChoice {
  code: string;
  balance: Money;
}

export function CheckoutPayment(props: {
  token: TestToken;
  onToken: (token: TestToken) => void;
  giftCard: GiftCardChoice | null;
  onGiftCard: (card: GiftCardChoice | null) => void;
}) {
  const { t } = useShopT();
  const shop = useShop();
  const [code, setCode] = useState('');
  const [checking, setChecking] = useState(false);
  const [giftError, setGiftError] = useState<string | null>(null);

  const check = async () => {
    setChecking(true);
    setGiftError(null);
    try {
      const card = await checkGiftCard(shop.key, code.trim());
      if (card.status !== 'active' || card.balance.amount <= 0) setGiftError(t('shop.checkout.giftUnusable'));
      else props.onGiftCard({ code: code.trim(), balance: card.balance });
    } catch {
      setGiftError(t('shop.checkout.giftUnknown'));
    } finally {
      setChecking(false);
    }
  };

  return (
    <Stack gap="md" data-testid="shop-checkout-payment">
      <Title order={2} size="h4">
        {t('shop.checkout.payment')}
      </Title>
      <Alert
        color="blue"
        variant="light"
        icon={<IconInfoCircle size={18} />}
        data-testid="shop-test-tokens-help"
      >
        <Text size="sm">{t('shop.checkout.testTokensHelp')}</Text>
      </Alert>
      <Radio.Group value={props.token} onChange={(value) => props.onToken(value as TestToken)}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          {TEST_TOKENS.map((token) => (
            <Paper key={token} withBorder radius="md" p="sm">
              <Radio
                value={token}
                data-testid="shop-test-token"
                data-token={token}
                label={
                  <Group gap={6} wrap="nowrap">
                    <IconCreditCard size={16} />
                    <Text size="sm" ff="monospace">
                      {token}
                    </Text>
                  </Group>
                }
                description={t(`shop.checkout.tokens.${token}` as ShopKey)}
              />
            </Paper>
          ))}
        </SimpleGrid>
      </Radio.Group>
      <Stack gap={6}>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label={t('shop.checkout.giftCard')}
            leftSection={<IconGift size={16} />}
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
            disabled={props.giftCard !== null}
            data-testid="shop-gift-card-input"
          />
          {props.giftCard ? (
            <Button variant="subtle" color="gray" onClick={() => props.onGiftCard(null)}>
              {t('shop.bag.remove')}
            </Button>
          ) : (
            <Button
              variant="default"
              loading={checking}
              disabled={code.trim().length < 4}
              onClick={() => void check()}
            >
              {t('shop.checkout.giftApply')}
            </Button>
          )}
        </Group>
        {props.giftCard && (
          <Badge color="teal" variant="light" data-testid="shop-gift-card-balance">
            {t('shop.checkout.giftBalance', { balance: formatMoney(props.giftCard.balance, shop.locale) })}
          </Badge>
        )}
        {giftError && (
          <Text size="sm" c="red">
            {giftError}
          </Text>
        )}
      </Stack>
    </Stack>
  );
}
