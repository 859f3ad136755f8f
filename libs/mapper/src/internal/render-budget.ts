import { RenderLimit } from '../mapping-failure';

/**
 * The limits of one record's renders. They are counts, not clock time, so a record maps the same
 * way on a busy and on an idle machine; each unit counted costs a bounded amount of work, so a record
 * ends in bounded time whatever the template does.
 */
export interface RenderLimits {
  readonly steps: number;
  readonly depth: number;
  readonly size: number;
}

const baseSteps = 100_000;
const stepsPerRow = 250;
const maximumDepth = 64;
const baseSize = 1 << 20;
const sizePerRawCharacter = 8;
const sizePerRow = 16 << 10;

/**
 * The budget of one record whose raw text has `rawTextLength` characters and which renders `rows`
 * rows (more than one for a WhatsApp entry): 100,000 steps plus 250 per row, nesting 64 deep, and
 * 1 MiB plus 8 characters per raw character plus 16 KiB per row of output and built strings. The
 * default templates take 57 to 168 steps and 2 to 4 characters per raw character for a row (about 6
 * for the rows of a WhatsApp entry, whose envelope each row repeats), so the first row of a record
 * has room for loops over its data, and every further row for about three times the default work.
 *
 * @example recordLimits(2_000, 1) // { steps: 100250, depth: 64, size: 1081536 }
 */
export function recordLimits(rawTextLength: number, rows: number): RenderLimits {
  return {
    steps: baseSteps + stepsPerRow * rows,
    depth: maximumDepth,
    size: baseSize + sizePerRawCharacter * rawTextLength + sizePerRow * rows,
  };
}

/** Thrown inside a render to end it; the mapper turns it into a `render-budget` failure. */
export class RenderBudgetExceeded extends Error {
  constructor(
    readonly limit: RenderLimit,
    message: string,
  ) {
    super(message);
    this.name = 'RenderBudgetExceeded';
  }
}

/**
 * What the renders of one record may still spend. Every place a template can make work (the
 * interpreter's loop over nodes, loops, ranges, macros, string building, helpers that serialise)
 * charges it here first, so nothing a template writes can run without end or fill the memory.
 */
export class RenderBudget {
  private steps = 0;
  private size = 0;
  private depth = 0;
  private built = false;

  constructor(readonly limits: RenderLimits) {}

  /**
   * Whether a template has built a list or map, or written one into another, for this record: until
   * then every value is a tree of the record's own data, which no walk can make larger than the record.
   */
  get containersBuilt(): boolean {
    return this.built;
  }

  /** What the renders have been charged so far. */
  get spent(): { readonly steps: number; readonly size: number } {
    return { steps: this.steps, size: this.size };
  }

  /** Notes that a list or map was built or stored, so values are walked before they are serialised. */
  containerBuilt(): void {
    this.built = true;
  }

  /** Charges `count` evaluation steps. @throws RenderBudgetExceeded past the limit. */
  step(count = 1): void {
    this.steps += count;
    if (this.steps > this.limits.steps) {
      throw new RenderBudgetExceeded(
        RenderLimit.steps,
        `more than ${this.limits.steps} steps (template nodes, expressions, loop iterations, macro calls and range elements)`,
      );
    }
  }

  /** Charges `count` characters of output or of a built string. @throws RenderBudgetExceeded past the limit. */
  chars(count: number): void {
    this.size += count;
    if (this.size > this.limits.size) {
      throw new RenderBudgetExceeded(
        RenderLimit.size,
        `more than ${this.limits.size} characters of output and built strings`,
      );
    }
  }

  /** Runs `body` one nesting level deeper. @throws RenderBudgetExceeded past the limit. */
  nested<T>(what: string, body: () => T): T {
    if (this.depth >= this.limits.depth) {
      throw new RenderBudgetExceeded(
        RenderLimit.depth,
        `${what} nested more than ${this.limits.depth} levels deep`,
      );
    }
    this.depth++;
    try {
      return body();
    } finally {
      this.depth--;
    }
  }
}
