/* GET /allocation_candidates: the answer, written from the candidates
 * the search found: allocation requests and provider summaries in the
 * shape of the microversion (summaries of 1.29+ are cached whole). */
#ifndef PLACEMENT_AC_ANSWER_H
#define PLACEMENT_AC_ANSWER_H
#include "ac_search.h"

/* Writes the answer: the first n of the nall candidates found. */
int answer_write(struct search *se, struct ac_result *res, long n, long nall);
/* An empty answer (no candidates). */
int answer_write_empty(struct ctx *c);
#endif
