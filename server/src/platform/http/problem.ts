/**
 * @module Problem details (RFC 9457): the one mapping from errors to HTTP responses. AppError codes map to
 * their status; Fastify's own errors (validation, JSON, size, media type) are translated; anything else is a
 * masked 500 plus a log line with the request id. 404 and 405 come from here too.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorCodes, type ErrorCode, type FieldError } from '../errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
  request_id: string;
  [extra: string]: unknown;
}

export function problemType(code: ErrorCode): string {
  return `urn:omnis:problem:${code}`;
}

export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  const { errors, headers, ...extra } = error.details;
  const body: ProblemBody = {
    type: problemType(error.code),
    title: errorCodes[error.code].title,
    status: error.status,
    detail: error.message,
    code: error.code,
    ...extra,
    ...(errors ? { errors } : {}),
    request_id: String(reply.request.id),
  };
  if (headers) reply.headers(headers);
  return reply.code(error.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns Ajv errors into field errors named like `body.config.url`. */
export function fieldErrors(context: string, validation: AjvError[]): FieldError[] {
  // A nullable or union field fails each branch and then anyOf itself: report it once, with the first reason.
  const seen = new Set<string>();
  return toFieldErrors(context, validation).filter((e) => !seen.has(e.field) && Boolean(seen.add(e.field)));
}

function toFieldErrors(context: string, validation: AjvError[]): FieldError[] {
  return validation.map((v) => {
    let field = context + v.instancePath.replace(/\//g, '.');
    let message = v.message ?? 'is not valid';
    if (v.keyword === 'additionalProperties') {
      field += `.${String(v.params.additionalProperty)}`;
      message = 'is not a known field';
    } else if (v.keyword === 'required') {
      field += `.${String(v.params.missingProperty)}`;
      message = 'is required';
    }
    return { field, message };
  });
}

/** Maps any thrown value to an AppError, or null when it must be masked as a 500. */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const e = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (e.validation) {
    const context = e.validationContext === 'querystring' ? 'query' : (e.validationContext ?? 'body');
    const errors = fieldErrors(context, e.validation);
    return new AppError('validation_failed', errors.map((f) => `${f.field} ${f.message}`).join('; '), {
      errors,
    });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('malformed_json', e.message, { errors: [{ field: 'body', message: e.message }] });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is larger than this server accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('unsupported_media_type', e.message);
  }
  // Fastify parses JSON with secure-json-parse and reports bad syntax as a 400 SyntaxError.
  if (error instanceof SyntaxError && e.statusCode === 400) {
    return new AppError('malformed_json', `The body is not valid JSON: ${e.message}`, {
      errors: [{ field: 'body', message: 'is not valid JSON' }],
    });
  }
  if (e.statusCode === 429) return new AppError('too_many_requests', e.message);
  return null;
}

/**
 * @param allowedMethods other methods routed at a path (for 405 and its Allow header)
 * @param spaFile file of the console to serve for an unknown browser path (client-side routing), or null
 */
export function installErrorHandling(
  app: FastifyInstance,
  allowedMethods: (method: string, url: string) => string[],
  spaFile: (request: FastifyRequest) => string | null,
): void {
  app.setErrorHandler((error, request: FastifyRequest, reply) => {
    const appError = toAppError(error);
    if (appError) {
      if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
      return sendProblem(reply, appError);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      reply,
      new AppError(
        'internal',
        `Something went wrong on our side. Quote request id ${request.id} when you report it.`,
      ),
    );
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const file = spaFile(request);
    if (file) return reply.sendFile(file);
    const allowed = allowedMethods(request.method, path);
    if (allowed.length > 0) {
      return sendProblem(
        reply,
        new AppError(
          'method_not_allowed',
          `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}.`,
          {
            headers: { allow: allowed.join(', ') },
          },
        ),
      );
    }
    return sendProblem(reply, new AppError('not_found', `There is nothing at ${request.method} ${path}.`));
  });
}
