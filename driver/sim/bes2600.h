/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bes2600 simulation stand-in: shared definitions.
 *
 * This is NOT the bes2600 driver.  It is a small model of the parts of it
 * that the besrig regression rig exercises: a wlan0 net device, a chip with
 * a fixed pool of firmware input buffers, the bh / sdio work items that move
 * frames and confirms, and the counters (hw_bufs_used, hw_bufs_used_vif[],
 * wsm_tx_pending[]) whose locking the patch series under driver/patches/
 * changes.  See driver/README.md for the model.
 */
#ifndef BES2600_SIM_H
#define BES2600_SIM_H

#include <linux/types.h>
#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <linux/workqueue.h>
#include <linux/hrtimer.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/version.h>
#include <linux/cpumask.h>

/* Variant tag: each patch of driver/patches/ rewrites it. */
#define BES2600_SIM_VARIANT	"b"
#define BES2600_SIM_VERSION	"1.0-sim"

#define BES2600_MAX_VIFS	2

/* What a frame is, in the model: both directions occupy a chip buffer. */
enum bes2600_dir {
	BES2600_DIR_TX = 0,	/* host -> air (wlan0 transmit) */
	BES2600_DIR_RX = 1,	/* air -> host (received on the lower NIC) */
};

enum bes2600_status {
	WSM_STATUS_SUCCESS = 0,
	WSM_STATUS_TX_ABORTED = 1,	/* returned by a firmware that halted */
};

/* Per-frame state kept in skb->cb while the skb belongs to this driver. */
struct bes2600_skb_cb {
	ktime_t due;		/* when the current delay stage releases it */
	ktime_t t_arrival;	/* queued on the host */
	ktime_t t_grant;	/* modeled time bh granted it a chip buffer */
	ktime_t t_confirm;	/* the chip confirmed it (SDIO interrupt tick) */
	u8 dir;
	u8 if_id;
	u8 status;
};

static inline struct bes2600_skb_cb *bes2600_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct bes2600_skb_cb) > sizeof(skb->cb));
	return (struct bes2600_skb_cb *)skb->cb;
}

struct bes2600_wsm_caps {
	int numInpChBufs;
};

/*
 * The modeled chip (LMAC firmware + SDIO function).  Its own bookkeeping is
 * exact and lives behind fw.lock; the driver never reads it except for the
 * debugfs "chip truth" lines.
 */
struct bes2600_fw {
	spinlock_t lock;
	struct sk_buff_head held;	/* in firmware buffers, ordered by due */
	struct sk_buff_head fifo;	/* written while no buffer was free */
	struct sk_buff_head out;	/* confirms / rx frames for the host */
	struct hrtimer timer;
	bool timer_armed;
	bool halted;			/* LMAC stopped answering */
	int nbufs;			/* physical input buffers for traffic */
	int resident;			/* buffers the firmware keeps for itself */
	u64 asserts;
	u64 overruns;
	u64 dropped_halted;
	int outstanding;		/* granted by host, not yet read back */
	/*
	 * Modeled clock: when each free buffer became free on the chip's
	 * timeline.  A grant takes the oldest one, so host scheduling delays
	 * shorter than the confirm latency do not change the pace.
	 */
	ktime_t *slot_free;
	int slot_head, slot_count, slot_size;
	u64 violations;			/* host credited more buffers than exist */
};

struct bes2600_stats {
	atomic64_t tx_frames, tx_bytes, rx_frames, rx_bytes;
	atomic64_t tx_dropped, rx_dropped;
	atomic64_t confirms, confirms_aborted;
	atomic64_t underflow_warns, link_breaks, recoveries;
	atomic64_t bh_runs, sdio_tx_runs, sdio_rx_runs;
	atomic64_t cycle_ns;		/* sum of grant -> confirm handled */
};

struct bes2600_common {
	struct net_device *ndev;	/* wlan0 */
	struct net_device *lower;	/* the board's data NIC (wphy0) */
	bool rx_handler_registered;
	bool ndev_registered;

	/* Host-side queues of frames waiting for a chip buffer. */
	struct sk_buff_head tx_queue;
	struct sk_buff_head rx_queue;
	bool bh_rr;			/* round-robin between the two */

	/* Firmware input buffer accounting: what the patch series is about. */
	struct bes2600_wsm_caps wsm_caps;
	int hw_bufs_used;
	int hw_bufs_used_vif[BES2600_MAX_VIFS];
	int wsm_tx_pending[BES2600_MAX_VIFS];
	unsigned int wsm_confirm_seq;	/* confirms parsed, for the stats block */
	ktime_t wsm_stats_due;		/* the chip's next periodic stats block */
	wait_queue_head_t bh_evt_wq;

	/* Bus model. */
	struct sk_buff_head bus_tx_q;	/* granted, sdio_tx_work writes them */
	struct sk_buff_head bh_rx_q;	/* read back, waiting for bh */
	struct hrtimer bh_rx_timer;
	bool bh_rx_timer_armed;

	struct workqueue_struct *bh_wq;
	struct workqueue_struct *sdio_wq;
	struct work_struct bh_work;
	struct work_struct sdio_tx_work;
	struct work_struct sdio_rx_work;
	struct delayed_work lmac_monitor;

	struct bes2600_fw fw;

	/* LMAC liveness. */
	unsigned long last_confirm;	/* jiffies */
	bool wedged;
	bool stopping;
	bool stopped;

	struct bes2600_stats st;
	struct dentry *debugfs;
};

/* module parameters (main.c) */
extern int bes2600_hw_bufs;
extern int bes2600_fw_resident_bufs;
extern int bes2600_confirm_latency_us;
extern int bes2600_latency_jitter_pct;
extern int bes2600_irq_coalesce_us;
extern int bes2600_bh_rx_bounce_us;
extern int bes2600_race_window_us;
extern int bes2600_race_window_every;
extern int bes2600_race_window_sleep;
extern int bes2600_race_window_period_ms;
extern int bes2600_fw_violation_limit;
extern int bes2600_fw_fifo_depth;
extern int bes2600_lmac_timeout_ms;
extern int bes2600_tx_queue_len;
extern int bes2600_rx_queue_len;

/* wsm.c */
int wsm_alloc_tx_buffer(struct bes2600_common *hw_priv, int if_id);
int wsm_release_tx_buffer(struct bes2600_common *hw_priv, int count);
int wsm_release_vif_tx_buffer(struct bes2600_common *hw_priv, int if_id,
			      int count);
void bes2600_inc_pending_count(struct bes2600_common *hw_priv, int if_id);
void bes2600_dec_pending_count(struct bes2600_common *hw_priv, int if_id);
int bes2600_hw_bufs_used(struct bes2600_common *hw_priv);
int bes2600_hw_bufs_used_vif(struct bes2600_common *hw_priv, int if_id);
int bes2600_tx_pending(struct bes2600_common *hw_priv, int if_id);

/* bh.c */
void bes2600_bh_work(struct work_struct *work);
void bes2600_bh_wakeup(struct bes2600_common *hw_priv);
void bes2600_bh_kick_if_room(struct bes2600_common *hw_priv);
int bes2600_bh_handle_rx_skb(struct bes2600_common *hw_priv,
			     struct sk_buff *skb);
void bes2600_bh_queue_rx(struct bes2600_common *hw_priv, struct sk_buff *skb);
void bes2600_bh_lmac_active_monitor(struct work_struct *work);
bool bes2600_bh_idle(struct bes2600_common *hw_priv);
void bes2600_bh_init(struct bes2600_common *hw_priv);
void bes2600_bh_start(struct bes2600_common *hw_priv);
void bes2600_bh_stop_timers(struct bes2600_common *hw_priv);

/* sdio.c */
void sdio_tx_work(struct work_struct *work);
void sdio_rx_work(struct work_struct *work);

/* fwsim.c */
int bes2600_fw_init(struct bes2600_common *hw_priv);
void bes2600_fw_free(struct bes2600_common *hw_priv);
ktime_t bes2600_fw_grant_time(struct bes2600_common *hw_priv, ktime_t arrival);
void bes2600_fw_ack(struct bes2600_common *hw_priv, ktime_t t_free, int credit);
void bes2600_fw_input(struct bes2600_common *hw_priv, struct sk_buff *skb);
bool bes2600_fw_backlog(struct bes2600_common *hw_priv);
bool bes2600_fw_ready(struct bes2600_common *hw_priv);
struct sk_buff *bes2600_fw_read(struct bes2600_common *hw_priv);
void bes2600_fw_stop(struct bes2600_common *hw_priv);
void bes2600_fw_purge(struct bes2600_common *hw_priv);
ktime_t bes2600_jittered(int us);

/* debug.c */
void bes2600_debug_init(struct bes2600_common *hw_priv);
void bes2600_debug_exit(struct bes2600_common *hw_priv);

/* main.c */
void bes2600_deliver_rx(struct bes2600_common *hw_priv, struct sk_buff *skb);
void bes2600_deliver_tx(struct bes2600_common *hw_priv, struct sk_buff *skb);

extern int bes2600_bh_cpu;
extern int bes2600_sdio_cpu;

/* Queue on a fixed CPU when configured (bh_cpu= / sdio_cpu=), else anywhere. */
static inline void bes2600_queue_on(struct workqueue_struct *wq, int cpu,
				    struct work_struct *work)
{
	if (cpu >= 0 && cpu < nr_cpu_ids && cpu_online(cpu))
		queue_work_on(cpu, wq, work);
	else
		queue_work(wq, work);
}

#define bes2600_queue_sdio(hw_priv, work) \
	bes2600_queue_on((hw_priv)->sdio_wq, READ_ONCE(bes2600_sdio_cpu), work)

static inline bool bes2600_stopping(struct bes2600_common *hw_priv)
{
	return READ_ONCE(hw_priv->stopping);
}

/* hrtimer API changed in 6.13 (hrtimer_setup); keep both working. */
static inline void bes2600_hrtimer_setup(struct hrtimer *t,
		enum hrtimer_restart (*fn)(struct hrtimer *))
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
	hrtimer_setup(t, fn, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
#else
	hrtimer_init(t, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	t->function = fn;
#endif
}

#endif /* BES2600_SIM_H */
