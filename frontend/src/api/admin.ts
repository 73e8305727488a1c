import type { components, operations } from './generated/openapi';
import { http } from './http';
import type { Category, Unit, UserAccount, UserPage } from './models';

// Aliases of the generated request types (to move into api/models.ts, which this feature does not own).
type Schemas = components['schemas'];
export type CreateUnitInput = Schemas['CreateUnitDto'];
export type UpdateUnitInput = Schemas['UpdateUnitDto'];
export type CreateUserInput = Schemas['CreateUserDto'];
export type UpdateUserInput = Schemas['UpdateUserDto'];
export type UserWithOneTimePassword = Schemas['UserWithOneTimePasswordResponse'];
export type CreateCategoryInput = Schemas['CreateCategoryDto'];
export type UpdateCategoryInput = Schemas['UpdateCategoryDto'];
export type UserQuery = NonNullable<operations['UsersController_list']['parameters']['query']>;

// ---- 单位管理 ----
export function createUnit(input: CreateUnitInput): Promise<Unit> {
  return http.post<Unit>('/units', input);
}

export function updateUnit(id: number, change: UpdateUnitInput): Promise<Unit> {
  return http.patch<Unit>(`/units/${id}`, change);
}

// ---- 用户管理 ----
export function listUsers(query: UserQuery, signal?: AbortSignal): Promise<UserPage> {
  return http.get<UserPage>('/users', { params: query, signal });
}

/** The new account and its one-time password (shown once). */
export function createUser(input: CreateUserInput): Promise<UserWithOneTimePassword> {
  return http.post<UserWithOneTimePassword>('/users', input);
}

export function updateUser(id: number, change: UpdateUserInput): Promise<UserAccount> {
  return http.patch<UserAccount>(`/users/${id}`, change);
}

/** A new one-time password for the account (shown once). */
export function resetUserPassword(id: number): Promise<UserWithOneTimePassword> {
  return http.post<UserWithOneTimePassword>(`/users/${id}/reset-password`);
}

// ---- 分类管理 ----
export function createCategory(input: CreateCategoryInput): Promise<Category> {
  return http.post<Category>('/categories', input);
}

export function updateCategory(id: number, change: UpdateCategoryInput): Promise<Category> {
  return http.patch<Category>(`/categories/${id}`, change);
}
