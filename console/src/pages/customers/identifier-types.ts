/**
 * @module The identifier types the console offers when adding one by hand, and their translated labels
 * (types added on the server later show under their own name).
 */
import i18n from '../../i18n';

export const IDENTIFIER_TYPES = [
  'email',
  'phone',
  'external_id',
  'loyalty_card',
  'whatsapp',
  'pos_customer_no',
  'device_id',
  'anonymous_id',
  'messenger_psid',
  'instagram_id',
] as const;

export function identifierTypeLabel(type: string): string {
  return i18n.t(`customers.identifierTypes.${type}` as 'customers.identifierTypes.email', {
    defaultValue: type,
  });
}
