/**
 * @module The database's table types, composed from the platform's and each module's own table types. Only
 * repositories use it; a module's tables are still its own to read and write.
 */
import type { AuditTables } from '../audit/audit.table';
import type { AuthTables } from '../auth/auth.table';
import type { EventTables } from '../events/events.table';
import type { IdempotencyTables } from '../http/idempotency.table';
import type { ChannelsTables } from '../../modules/channels';
import type { InventoryTables } from '../../modules/inventory';
import type { CustomersTables } from '../../modules/customers';
import type { CatalogTables } from '../../modules/catalog';
import type { CommerceTables } from '../../modules/commerce';
import type { ConversationsTables } from '../../modules/conversations';

export interface Database
  extends
    AuthTables,
    AuditTables,
    IdempotencyTables,
    EventTables,
    ChannelsTables,
    InventoryTables,
    CustomersTables,
    CatalogTables,
    CommerceTables,
    ConversationsTables {}
