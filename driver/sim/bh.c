// SPDX-License-Identifier: GPL-2.0
/*
 * bes2600 simulation stand-in: the bottom half (bes2600_bh_work).
 *
 * bh is the one context that owns the buffer counters in the baseline:
 *  - it processes the confirms and received frames sdio_rx_work read from
 *    the chip (after the modeled bh wake-up / register read bounce,
 *    bh_rx_bounce_us), returning their buffers (wsm_release_tx_buffer);
 *  - it grants free buffers to frames waiting on the host queues
 *    (wsm_alloc_tx_buffer) and hands them to sdio_tx_work.
 *
 * bes2600_bh_lmac_active_monitor watches for a chip that stopped answering.
 */
#include <linux/kernel.h>
#include <linux/jiffies.h>
#include "bes2600.h"

#define BES2600_LMAC_MONITOR_MS	500
#define BES2600_LINK_BREAK_REPEAT_S	10

void bes2600_bh_wakeup(struct bes2600_common *hw_priv)
{
	if (!bes2600_stopping(hw_priv))
		bes2600_queue_on(hw_priv->bh_wq, READ_ONCE(bes2600_bh_cpu),
				 &hw_priv->bh_work);
}

/*
 * A frame was queued for the chip.  bh only needs to run now if a buffer is
 * free; otherwise the next returned buffer runs it.  (Queue first, then
 * look: pairs with the barrier in bh_feed_chip.)
 */
void bes2600_bh_kick_if_room(struct bes2600_common *hw_priv)
{
	smp_mb();
	if (bes2600_hw_bufs_used(hw_priv) < hw_priv->wsm_caps.numInpChBufs)
		bes2600_bh_wakeup(hw_priv);
}

/*
 * One confirm (a transmitted frame) or one received frame, read back from
 * the chip.  Returns the firmware buffer and delivers the frame.
 *
 * Returns wsm_release_tx_buffer()'s verdict (1: the chip was full, kick bh).
 *
 * Shared state touched: hw_bufs_used, hw_bufs_used_vif[if_id],
 * wsm_tx_pending[if_id] (bh-only in the baseline), last_confirm, stats.
 */
int bes2600_bh_handle_rx_skb(struct bes2600_common *hw_priv,
			     struct sk_buff *skb)
{
	struct bes2600_skb_cb *cb = bes2600_cb(skb);
	int if_id = cb->if_id;
	int ret;

	ret = wsm_release_tx_buffer(hw_priv, 1);
	wsm_release_vif_tx_buffer(hw_priv, if_id, 1);
	bes2600_dec_pending_count(hw_priv, if_id);
	/* Return the buffer credit to the chip (and the modeled clock). */
	bes2600_fw_ack(hw_priv, cb->due, hw_priv->wsm_caps.numInpChBufs -
		       bes2600_hw_bufs_used(hw_priv));
	WRITE_ONCE(hw_priv->last_confirm, jiffies);
	atomic64_inc(&hw_priv->st.confirms);
	atomic64_add(ktime_to_ns(ktime_sub(ktime_get(), cb->t_grant)),
		     &hw_priv->st.cycle_ns);

	if (cb->status != WSM_STATUS_SUCCESS) {
		atomic64_inc(&hw_priv->st.confirms_aborted);
		atomic64_inc(cb->dir == BES2600_DIR_RX ?
			     &hw_priv->st.rx_dropped : &hw_priv->st.tx_dropped);
		kfree_skb(skb);
		return ret;
	}
	if (cb->dir == BES2600_DIR_RX)
		bes2600_deliver_rx(hw_priv, skb);
	else
		bes2600_deliver_tx(hw_priv, skb);
	return ret;
}

static void bh_rx_arm(struct bes2600_common *hw_priv, ktime_t due)
{
	/* bh_rx_q.lock held */
	if (hw_priv->bh_rx_timer_armed || bes2600_stopping(hw_priv))
		return;
	hw_priv->bh_rx_timer_armed = true;
	hrtimer_start(&hw_priv->bh_rx_timer, due, HRTIMER_MODE_ABS_SOFT);
}

/* sdio_rx_work hands a frame read from the chip over to bh. */
void bes2600_bh_queue_rx(struct bes2600_common *hw_priv, struct sk_buff *skb)
{
	struct sk_buff_head *q = &hw_priv->bh_rx_q;
	int bounce = READ_ONCE(bes2600_bh_rx_bounce_us);

	/* bh picks it up bh_rx_bounce_us after the chip's interrupt. */
	bes2600_cb(skb)->due = ktime_add(bes2600_cb(skb)->t_confirm,
					 bes2600_jittered(bounce));
	spin_lock_bh(&q->lock);
	__skb_queue_tail(q, skb);
	if (bounce > 0)
		bh_rx_arm(hw_priv, bes2600_cb(skb_peek(q))->due);
	spin_unlock_bh(&q->lock);
	if (bounce <= 0)
		bes2600_bh_wakeup(hw_priv);
}

static enum hrtimer_restart bh_rx_timer_fn(struct hrtimer *t)
{
	struct bes2600_common *hw_priv =
		container_of(t, struct bes2600_common, bh_rx_timer);

	spin_lock(&hw_priv->bh_rx_q.lock);
	hw_priv->bh_rx_timer_armed = false;
	spin_unlock(&hw_priv->bh_rx_q.lock);
	bes2600_bh_wakeup(hw_priv);
	return HRTIMER_NORESTART;
}

static void bh_process_rx(struct bes2600_common *hw_priv)
{
	struct sk_buff_head *q = &hw_priv->bh_rx_q;
	struct sk_buff *skb;
	ktime_t now = ktime_get();

	for (;;) {
		spin_lock_bh(&q->lock);
		skb = skb_peek(q);
		if (!skb) {
			spin_unlock_bh(&q->lock);
			break;
		}
		if (ktime_compare(bes2600_cb(skb)->due, now) > 0) {
			bh_rx_arm(hw_priv, bes2600_cb(skb)->due);
			spin_unlock_bh(&q->lock);
			break;
		}
		__skb_unlink(skb, q);
		spin_unlock_bh(&q->lock);
		bes2600_bh_handle_rx_skb(hw_priv, skb);
	}
}

static struct sk_buff *bh_next_frame(struct bes2600_common *hw_priv)
{
	struct sk_buff_head *first, *second;
	struct sk_buff *skb;

	hw_priv->bh_rr = !hw_priv->bh_rr;
	first = hw_priv->bh_rr ? &hw_priv->rx_queue : &hw_priv->tx_queue;
	second = hw_priv->bh_rr ? &hw_priv->tx_queue : &hw_priv->rx_queue;
	skb = skb_dequeue(first);
	if (!skb)
		skb = skb_dequeue(second);
	return skb;
}

/* Grant free chip buffers to waiting frames; sdio_tx_work writes them. */
static void bh_feed_chip(struct bes2600_common *hw_priv)
{
	struct sk_buff *skb;
	int fed = 0;

	if (READ_ONCE(hw_priv->wedged) || !bes2600_fw_ready(hw_priv))
		return;
	smp_mb();	/* counters vs. queues, see bes2600_bh_kick_if_room() */
	while (bes2600_hw_bufs_used(hw_priv) < hw_priv->wsm_caps.numInpChBufs) {
		int if_id;

		skb = bh_next_frame(hw_priv);
		if (!skb)
			break;
		if_id = bes2600_cb(skb)->if_id;
		if (wsm_alloc_tx_buffer(hw_priv, if_id)) {
			skb_queue_head(bes2600_cb(skb)->dir == BES2600_DIR_RX ?
				       &hw_priv->rx_queue : &hw_priv->tx_queue,
				       skb);
			break;
		}
		bes2600_inc_pending_count(hw_priv, if_id);
		bes2600_cb(skb)->t_grant = bes2600_fw_grant_time(hw_priv,
						bes2600_cb(skb)->t_arrival);
		skb_queue_tail(&hw_priv->bus_tx_q, skb);
		fed++;
	}
	if (fed && !bes2600_stopping(hw_priv))
		bes2600_queue_sdio(hw_priv, &hw_priv->sdio_tx_work);
}

void bes2600_bh_work(struct work_struct *work)
{
	struct bes2600_common *hw_priv =
		container_of(work, struct bes2600_common, bh_work);
	struct net_device *ndev = hw_priv->ndev;

	atomic64_inc(&hw_priv->st.bh_runs);
	if (bes2600_stopping(hw_priv))
		return;

	bh_process_rx(hw_priv);
	bh_feed_chip(hw_priv);

	if (netif_queue_stopped(ndev) &&
	    skb_queue_len(&hw_priv->tx_queue) < READ_ONCE(bes2600_tx_queue_len) / 2)
		netif_wake_queue(ndev);
}

bool bes2600_bh_idle(struct bes2600_common *hw_priv)
{
	/* Interface 1 only holds the firmware's resident buffers. */
	if (bes2600_tx_pending(hw_priv, 0) > 0)
		return false;
	return skb_queue_empty(&hw_priv->tx_queue) &&
	       skb_queue_empty(&hw_priv->rx_queue);
}

static void bh_wedge(struct bes2600_common *hw_priv)
{
	u64 dropped = skb_queue_len(&hw_priv->tx_queue) +
		      (u64)skb_queue_len(&hw_priv->rx_queue);

	WRITE_ONCE(hw_priv->wedged, true);
	skb_queue_purge(&hw_priv->tx_queue);
	skb_queue_purge(&hw_priv->rx_queue);
	atomic64_add(dropped, &hw_priv->st.rx_dropped);
	netif_wake_queue(hw_priv->ndev);	/* transmit now drops */
}

/*
 * Confirms the chip already gave back that the host has not handled yet:
 * read from the chip and waiting for bh, or still owed by the chip model
 * (bes2600_fw_backlog).  Then the host is late (on the emulated board, a
 * vCPU the host machine stalled for seconds), not the chip silent.
 */
static bool bh_host_backlog(struct bes2600_common *hw_priv)
{
	return !skb_queue_empty(&hw_priv->bh_rx_q) || bes2600_fw_backlog(hw_priv);
}

/*
 * The LMAC answers every frame it holds within confirm_latency_us.  Work
 * outstanding, nothing of the chip's waiting on the host, and no confirm for
 * lmac_timeout_ms: the chip is gone.
 */
void bes2600_bh_lmac_active_monitor(struct work_struct *work)
{
	struct bes2600_common *hw_priv = container_of(to_delayed_work(work),
			struct bes2600_common, lmac_monitor);
	unsigned long last = READ_ONCE(hw_priv->last_confirm);
	unsigned long timeout = msecs_to_jiffies(READ_ONCE(bes2600_lmac_timeout_ms));
	static unsigned long last_report;

	if (bes2600_stopping(hw_priv))
		return;

	if (READ_ONCE(hw_priv->wedged)) {
		if (time_after(jiffies, last_report + BES2600_LINK_BREAK_REPEAT_S * HZ)) {
			last_report = jiffies;
			pr_err("bes2600: %s: link break between lmac and host (wlan0 down since %u s, hw_bufs_used=%d)\n",
			       __func__, jiffies_to_msecs(jiffies - last) / 1000,
			       bes2600_hw_bufs_used(hw_priv));
		}
	} else if (bes2600_bh_idle(hw_priv)) {
		WRITE_ONCE(hw_priv->last_confirm, jiffies);
	} else if (time_after(jiffies, last + timeout) && !bh_host_backlog(hw_priv)) {
		last_report = jiffies;
		atomic64_inc(&hw_priv->st.link_breaks);
		pr_err("bes2600: %s: link break between lmac and host (no confirm for %u ms, hw_bufs_used=%d, wsm_tx_pending=%d)\n",
		       __func__, jiffies_to_msecs(jiffies - last),
		       bes2600_hw_bufs_used(hw_priv),
		       bes2600_tx_pending(hw_priv, 0));
		bh_wedge(hw_priv);
	}
	if (!bes2600_stopping(hw_priv))
		schedule_delayed_work(&hw_priv->lmac_monitor,
				      msecs_to_jiffies(BES2600_LMAC_MONITOR_MS));
}

void bes2600_bh_init(struct bes2600_common *hw_priv)
{
	skb_queue_head_init(&hw_priv->bh_rx_q);
	bes2600_hrtimer_setup(&hw_priv->bh_rx_timer, bh_rx_timer_fn);
	INIT_WORK(&hw_priv->bh_work, bes2600_bh_work);
	INIT_DELAYED_WORK(&hw_priv->lmac_monitor, bes2600_bh_lmac_active_monitor);
	init_waitqueue_head(&hw_priv->bh_evt_wq);
}

/*
 * Start-up: hand the firmware its resident buffers (templates, keep-alive
 * frames).  They stay allocated, on interface 1, for the chip's lifetime.
 */
void bes2600_bh_start(struct bes2600_common *hw_priv)
{
	int i;

	for (i = 0; i < hw_priv->fw.resident; i++)
		if (wsm_alloc_tx_buffer(hw_priv, 1) == 0)
			bes2600_inc_pending_count(hw_priv, 1);
}

void bes2600_bh_stop_timers(struct bes2600_common *hw_priv)
{
	hrtimer_cancel(&hw_priv->bh_rx_timer);
	spin_lock_bh(&hw_priv->bh_rx_q.lock);
	hw_priv->bh_rx_timer_armed = false;
	spin_unlock_bh(&hw_priv->bh_rx_q.lock);
}
