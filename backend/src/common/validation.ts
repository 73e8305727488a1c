import { BadRequestException, type ValidationError, ValidationPipe } from '@nestjs/common';

interface FieldProblem {
  /** The field's path, e.g. `citizenPhone` or `assistingUnits.0.unitId`. */
  field: string;
  /** The rules it broke (class-validator's names: isNotEmpty, maxLength, matches…). */
  constraints: string[];
  messages: string[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own: FieldProblem[] = error.constraints
      ? [{ field: path, constraints: Object.keys(error.constraints), messages: Object.values(error.constraints) }]
      : [];
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/** Whitelisting validation; unknown fields are rejected; the message lists every problem. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // The message lists every problem; `details.fields` names them for a client that shows them in its own words.
    exceptionFactory: (errors) => {
      const problems = flatten(errors);
      return new BadRequestException({
        message: problems.flatMap((problem) => problem.messages).join('; ') || 'Invalid request',
        code: 'VALIDATION_FAILED',
        details: { fields: problems.map(({ field, constraints }) => ({ field, constraints })) },
      });
    },
  });
}
