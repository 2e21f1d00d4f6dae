/** Dual entries to review: the queue, and merge, keep apart and split (the dedup use cases). */
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { confirmMerge } from '../dedup/confirm-merge.js';
import { keepApart } from '../dedup/keep-apart.js';
import { listReviews } from '../dedup/list-reviews.js';
import { splitDossier } from '../dedup/split-dossier.js';
import { actorOf } from '../http/context.js';
import { type WriteContext, writeContext } from '../intake/intake.context.js';
import { CsrfOnlyForm, doneText, MergeForm, PageQuery, ReviewParams, SplitForm } from './dashboard.forms.js';
import { acting, parsed, refuse, render, viewerOf } from './dashboard.guard.js';
import type { DashEnv } from './dashboard.http.js';
import { ReviewsPage } from './pages/reviews.js';

export function registerActions(app: Hono<DashEnv>): void {
  app.get('/ops/reviews', async (c) => {
    const q = parsed(PageQuery, c.req.query());
    if (!q.ok) return refuse(c, 400, q.text);
    const { db } = c.get('services').store;
    const pending = await listReviews(db, { state: 'pending', limit: 50 });
    const merged = await listReviews(db, { state: 'merged', limit: 10 });
    const text = doneText(q.value);
    const flash = text ? ({ kind: 'ok', text } as const) : undefined;
    return render(
      c,
      200,
      <ReviewsPage viewer={viewerOf(c)} pending={pending} merged={merged} flash={flash} />,
    );
  });

  app.post(
    '/ops/reviews/:id/merge',
    reviewDecision(MergeForm, 'merged', (ctx, r) =>
      confirmMerge(ctx, { reviewId: r.reviewId, actor: r.actor, into: r.form.into }),
    ),
  );

  app.post(
    '/ops/reviews/:id/keep-apart',
    reviewDecision(CsrfOnlyForm, 'kept-apart', (ctx, r) =>
      keepApart(ctx, { reviewId: r.reviewId, actor: r.actor }),
    ),
  );

  app.post('/ops/split', (c) =>
    acting(c, async () => {
      const form = parsed(SplitForm, await c.req.parseBody());
      if (!form.ok) return refuse(c, 400, form.text);
      const { dossierId, system, recordId } = form.value;
      const actor = actorOf(c.get('principal'));
      const deps = c.get('services').intake;
      await c
        .get('services')
        .store.transaction(async (trx) =>
          splitDossier(writeContext(trx, deps), { dossierId, source: { system, recordId }, actor }),
        );
      return c.redirect('/ops/reviews?done=split', 303);
    }),
  );
}

/** A decision on one review from a posted form: checked, taken in one transaction, then back to the queue. */
function reviewDecision<T extends z.ZodType>(
  form: T,
  done: 'merged' | 'kept-apart',
  decide: (ctx: WriteContext, r: { reviewId: string; actor: string; form: z.output<T> }) => Promise<unknown>,
) {
  return (c: Context<DashEnv>) =>
    acting(c, async () => {
      const params = parsed(ReviewParams, c.req.param());
      const body = parsed(form, await c.req.parseBody());
      if (!params.ok || !body.ok) return refuse(c, 400, params.ok ? (body.ok ? '' : body.text) : params.text);
      const actor = actorOf(c.get('principal'));
      const deps = c.get('services').intake;
      const reviewId = params.value.id;
      await c
        .get('services')
        .store.transaction(async (trx) =>
          decide(writeContext(trx, deps), { reviewId, actor, form: body.value }),
        );
      return c.redirect(`/ops/reviews?done=${done}`, 303);
    });
}
