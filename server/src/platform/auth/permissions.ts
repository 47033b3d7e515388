/**
 * @module Roles → permissions: the one table that says who may do what. Every route declares one `access`
 * value (a permission, or one of the special levels below); the auth hook enforces it and a generated test
 * walks every route × role against this table.
 */

export const permissions = {
  'channels:read': 'See channels and their (non-secret) settings',
  'channels:write': 'Create and change channels and their secrets',
  'users:read': 'See staff users and roles',
  'users:write': 'Create staff users, change roles, deactivate users',
  'api_keys:read': 'See API keys',
  'api_keys:write': 'Create and revoke API keys',
  'webhooks:read': 'See webhook endpoints and their delivery log',
  'webhooks:write': 'Create, change and delete webhook endpoints; redeliver',
  'audit:read': 'Read the audit log of staff actions',
  'customers:read': 'See customer profiles and timelines',
  'customers:write': 'Create, change, merge customers and record consent',
  'customers:erase': 'Erase a customer’s personal data everywhere (privacy requests; cannot be undone)',
  'customers:restrict': 'Restrict processing of a customer’s data, or lift the restriction (reversible)',
  'catalog:read': 'See products, prices and promotions',
  'catalog:write': 'Change products, prices and promotions',
  'inventory:read': 'See locations, stock and availability',
  'inventory:write': 'Adjust stock, transfer, reserve',
  'orders:read': 'See carts, orders and returns',
  'orders:write': 'Create and change orders, take returns',
  'pos:use': 'Sell and hand over orders at the point of sale',
  'conversations:read': 'Read conversations in the inbox',
  'conversations:write': 'Reply, assign and resolve conversations',
  'campaigns:read': 'See campaigns and segments',
  'campaigns:write': 'Create and send campaigns',
  'analytics:read': 'See reports and dashboards',
} as const;

export type Permission = keyof typeof permissions;
export const allPermissions = Object.keys(permissions) as Permission[];

export const roles = ['owner', 'admin', 'agent', 'associate', 'marketer', 'analyst'] as const;
export type Role = (typeof roles)[number];

const read = (...areas: string[]) => areas.map((a) => `${a}:read` as Permission);

/** The matrix. Owner and admin differ only in what the users service lets them do to owners. */
export const rolePermissions: Record<Role, readonly Permission[]> = {
  owner: allPermissions,
  admin: allPermissions,
  agent: [
    ...read('channels', 'customers', 'catalog', 'inventory', 'orders', 'conversations'),
    'customers:write',
    // Customers ask the contact centre to stop using their data; restriction is reversible, unlike erasure.
    'customers:restrict',
    'orders:write',
    'conversations:write',
  ],
  associate: [
    ...read('channels', 'customers', 'catalog', 'inventory', 'orders', 'conversations'),
    'customers:write',
    'orders:write',
    'inventory:write',
    'pos:use',
  ],
  marketer: [
    ...read('channels', 'customers', 'catalog', 'campaigns', 'analytics'),
    'catalog:write',
    'campaigns:write',
  ],
  analyst: read(
    'channels',
    'customers',
    'catalog',
    'inventory',
    'orders',
    'conversations',
    'campaigns',
    'analytics',
  ),
};

/**
 * What a route requires:
 * - a Permission: a staff session or secret key whose role has it;
 * - `session`: any signed-in staff user (their own profile, sign-out);
 * - `publishable`: a publishable key `pk_…` (customer-facing /store routes);
 * - `customer`: a customer token in `X-Customer-Token` (self-service /store/v1/me routes; no key needed);
 * - `public`: nobody needs to sign in (health, docs, login, console files).
 */
export type Access = Permission | 'session' | 'publishable' | 'customer' | 'public';

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export function roleHas(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}
