// SPDX-License-Identifier: GPL-2.0
/*
 * bes2600 simulation stand-in: the modeled chip (LMAC firmware).
 *
 * The chip has fw.nbufs physical input buffers.  A frame written by
 * sdio_tx_work sits in one for confirm_latency_us (+/- jitter), then its
 * confirm (or, for a received frame, the frame itself) goes to the chip's
 * output queue and the modeled SDIO interrupt schedules sdio_rx_work.
 *
 * The host is expected never to hand out more buffers than the chip
 * advertised.  Frames written while every buffer is taken wait in the chip's
 * input FIFO; when that FIFO overflows (more than fw_fifo_depth frames) the
 * LMAC asserts: it returns every frame it holds with WSM_STATUS_TX_ABORTED,
 * drops its ready bit and stops answering.  Only a fresh chip (module reload)
 * brings it back.  With correct host accounting the FIFO is never used.
 *
 * The chip's own bookkeeping is exact (fw.lock); it is not what the patches
 * change.
 */
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include "bes2600.h"

#define to_hw_priv(f) container_of(f, struct bes2600_common, fw)

ktime_t bes2600_jittered(int us)
{
	int pct = READ_ONCE(bes2600_latency_jitter_pct);
	s64 ns = (s64)us * NSEC_PER_USEC;

	if (pct > 0 && ns > 0) {
		s64 span = div_s64(ns * pct, 100);
		u32 r = get_random_u32() % 2001;	/* 0..2000 */

		ns += div_s64(span * ((s64)r - 1000), 1000);
	}
	return ns_to_ktime(ns > 0 ? ns : 0);
}

static void fw_arm(struct bes2600_fw *fw)
{
	struct sk_buff *head = skb_peek(&fw->held);

	if (!head || fw->timer_armed || fw->halted)
		return;
	fw->timer_armed = true;
	hrtimer_start(&fw->timer, bes2600_cb(head)->due, HRTIMER_MODE_ABS_SOFT);
}

/*
 * The latency runs from the moment bh granted the buffer (the bus write is
 * part of it), or from now for a frame that waited in the input FIFO.
 */
static void fw_take(struct bes2600_fw *fw, struct sk_buff *skb, ktime_t now,
		    bool from_fifo)
{
	ktime_t start = from_fifo ? now : bes2600_cb(skb)->t_grant;
	s64 due = ktime_to_ns(ktime_add(start,
			bes2600_jittered(READ_ONCE(bes2600_confirm_latency_us))));
	s64 tick = (s64)READ_ONCE(bes2600_irq_coalesce_us) * NSEC_PER_USEC;

	if (due < ktime_to_ns(now))
		due = ktime_to_ns(now);

	/* The chip raises its SDIO interrupt on a tick, for all due confirms. */
	if (tick > 0)
		due = div64_s64(due + tick - 1, tick) * tick;
	bes2600_cb(skb)->due = ns_to_ktime(due);
	__skb_queue_tail(&fw->held, skb);
}

/* fw.lock held.  The LMAC gives up: everything it holds comes back aborted. */
static void fw_assert(struct bes2600_fw *fw)
{
	struct sk_buff *skb;

	fw->halted = true;
	fw->asserts++;
	while ((skb = __skb_dequeue(&fw->held))) {
		bes2600_cb(skb)->status = WSM_STATUS_TX_ABORTED;
		bes2600_cb(skb)->t_confirm = ktime_get();
		__skb_queue_tail(&fw->out, skb);
	}
	while ((skb = __skb_dequeue(&fw->fifo))) {
		bes2600_cb(skb)->status = WSM_STATUS_TX_ABORTED;
		bes2600_cb(skb)->t_confirm = ktime_get();
		__skb_queue_tail(&fw->out, skb);
	}
}

static enum hrtimer_restart fw_timer_fn(struct hrtimer *t)
{
	struct bes2600_fw *fw = container_of(t, struct bes2600_fw, timer);
	struct bes2600_common *hw_priv = to_hw_priv(fw);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	struct sk_buff *skb;
	ktime_t now = ktime_get();
	int moved = 0;

	spin_lock(&fw->lock);
	while ((skb = skb_peek(&fw->held)) &&
	       ktime_compare(bes2600_cb(skb)->due, now) <= 0) {
		__skb_unlink(skb, &fw->held);
		bes2600_cb(skb)->t_confirm = bes2600_cb(skb)->due;
		__skb_queue_tail(&fw->out, skb);
		moved++;
	}
	while (skb_queue_len(&fw->held) < fw->nbufs &&
	       (skb = __skb_dequeue(&fw->fifo)))
		fw_take(fw, skb, now, true);

	skb = skb_peek(&fw->held);
	if (skb && !fw->halted) {
		hrtimer_set_expires(t, bes2600_cb(skb)->due);
		ret = HRTIMER_RESTART;
	} else {
		fw->timer_armed = false;
	}
	spin_unlock(&fw->lock);

	/* The SDIO interrupt: the host reads confirms in sdio_rx_work. */
	if (moved && !bes2600_stopping(hw_priv))
		bes2600_queue_sdio(hw_priv, &hw_priv->sdio_rx_work);
	return ret;
}

int bes2600_fw_init(struct bes2600_common *hw_priv)
{
	struct bes2600_fw *fw = &hw_priv->fw;
	int i;

	fw->resident = bes2600_fw_resident_bufs;
	fw->nbufs = hw_priv->wsm_caps.numInpChBufs - fw->resident;
	fw->slot_size = fw->nbufs + 64;
	fw->slot_free = kcalloc(fw->slot_size, sizeof(*fw->slot_free), GFP_KERNEL);
	if (!fw->slot_free)
		return -ENOMEM;
	for (i = 0; i < fw->nbufs; i++)
		fw->slot_free[i] = 0;
	fw->slot_count = fw->nbufs;
	spin_lock_init(&fw->lock);
	skb_queue_head_init(&fw->held);
	skb_queue_head_init(&fw->fifo);
	skb_queue_head_init(&fw->out);
	bes2600_hrtimer_setup(&fw->timer, fw_timer_fn);
	return 0;
}

void bes2600_fw_free(struct bes2600_common *hw_priv)
{
	kfree(hw_priv->fw.slot_free);
	hw_priv->fw.slot_free = NULL;
}

/*
 * bh grants a buffer to a frame that arrived at @arrival: on the modeled
 * clock that happens when both the frame and a free buffer were there.
 */
ktime_t bes2600_fw_grant_time(struct bes2600_common *hw_priv, ktime_t arrival)
{
	struct bes2600_fw *fw = &hw_priv->fw;
	ktime_t t = arrival;

	spin_lock_bh(&fw->lock);
	if (fw->slot_count) {
		ktime_t freed = fw->slot_free[fw->slot_head];

		fw->slot_head = (fw->slot_head + 1) % fw->slot_size;
		fw->slot_count--;
		if (ktime_compare(freed, t) > 0)
			t = freed;
	} else {
		t = ktime_get();	/* more grants than buffers */
	}
	spin_unlock_bh(&fw->lock);
	return t;
}

/*
 * The host handled a confirm: the buffer is free again on the modeled clock
 * at @t_free, and the host reports how many buffers it now believes free.
 * Believing in more free buffers than the chip has is a protocol violation;
 * enough of them and the LMAC asserts.
 */
void bes2600_fw_ack(struct bes2600_common *hw_priv, ktime_t t_free, int credit)
{
	struct bes2600_fw *fw = &hw_priv->fw;
	bool irq = false;

	spin_lock_bh(&fw->lock);
	if (fw->slot_count < fw->slot_size) {
		fw->slot_free[(fw->slot_head + fw->slot_count) % fw->slot_size] = t_free;
		fw->slot_count++;
	}
	if (credit > fw->nbufs + fw->resident && !fw->halted) {
		fw->violations++;
		if (fw->violations >= READ_ONCE(bes2600_fw_violation_limit)) {
			fw_assert(fw);
			irq = true;
		}
	}
	spin_unlock_bh(&fw->lock);
	if (irq && !bes2600_stopping(hw_priv))
		bes2600_queue_sdio(hw_priv, &hw_priv->sdio_rx_work);
}

/*
 * Confirms the chip owes but the host has not taken: due in the chip's input
 * buffers for more than 100 ms (its interrupt timer ran late), or waiting in
 * its output queue.  The chip answered; the host side is late.
 */
bool bes2600_fw_backlog(struct bes2600_common *hw_priv)
{
	struct bes2600_fw *fw = &hw_priv->fw;
	ktime_t late = ktime_sub_ms(ktime_get(), 100);
	struct sk_buff *head;
	bool backlog;

	spin_lock_bh(&fw->lock);
	head = skb_peek(&fw->held);
	backlog = !skb_queue_empty(&fw->out) ||
		  (head && !fw->halted && ktime_before(bes2600_cb(head)->due, late));
	spin_unlock_bh(&fw->lock);
	return backlog;
}

bool bes2600_fw_ready(struct bes2600_common *hw_priv)
{
	return !READ_ONCE(hw_priv->fw.halted);
}

/* sdio_tx_work: one frame written into the chip's input channel. */
void bes2600_fw_input(struct bes2600_common *hw_priv, struct sk_buff *skb)
{
	struct bes2600_fw *fw = &hw_priv->fw;
	bool irq = false;

	spin_lock_bh(&fw->lock);
	if (fw->halted) {
		fw->dropped_halted++;
		spin_unlock_bh(&fw->lock);
		kfree_skb(skb);
		return;
	}
	fw->outstanding++;
	bes2600_cb(skb)->status = WSM_STATUS_SUCCESS;
	if (skb_queue_len(&fw->held) < fw->nbufs) {
		fw_take(fw, skb, ktime_get(), false);
		fw_arm(fw);
	} else {
		fw->overruns++;
		__skb_queue_tail(&fw->fifo, skb);
		if (skb_queue_len(&fw->fifo) > READ_ONCE(bes2600_fw_fifo_depth)) {
			fw_assert(fw);
			irq = true;
		}
	}
	spin_unlock_bh(&fw->lock);

	if (irq && !bes2600_stopping(hw_priv))
		bes2600_queue_sdio(hw_priv, &hw_priv->sdio_rx_work);
}

/* sdio_rx_work: read one confirm / received frame back from the chip. */
struct sk_buff *bes2600_fw_read(struct bes2600_common *hw_priv)
{
	struct bes2600_fw *fw = &hw_priv->fw;
	struct sk_buff *skb;

	spin_lock_bh(&fw->lock);
	skb = __skb_dequeue(&fw->out);
	if (skb)
		fw->outstanding--;
	spin_unlock_bh(&fw->lock);
	return skb;
}

void bes2600_fw_stop(struct bes2600_common *hw_priv)
{
	hrtimer_cancel(&hw_priv->fw.timer);
	spin_lock_bh(&hw_priv->fw.lock);
	hw_priv->fw.timer_armed = false;
	spin_unlock_bh(&hw_priv->fw.lock);
}

void bes2600_fw_purge(struct bes2600_common *hw_priv)
{
	struct bes2600_fw *fw = &hw_priv->fw;

	spin_lock_bh(&fw->lock);
	__skb_queue_purge(&fw->held);
	__skb_queue_purge(&fw->fifo);
	__skb_queue_purge(&fw->out);
	fw->outstanding = 0;
	spin_unlock_bh(&fw->lock);
}
