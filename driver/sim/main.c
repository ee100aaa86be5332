// SPDX-License-Identifier: GPL-2.0
/*
 * bes2600 simulation stand-in: module, wlan0 net device, lower-NIC glue.
 *
 * wlan0 is stacked on the board's data NIC (module parameter "lower"):
 * frames received there are taken by an rx_handler, frames sent on wlan0
 * leave through dev_queue_xmit() on it.  Frames pass unchanged (Ethernet);
 * wlan0 carries the lower NIC's MAC address.  Between the two, every frame
 * goes through the modeled chip (bh.c, sdio.c, wsm.c, fwsim.c), which sets
 * the pace.
 *
 * Written from scratch for the besrig project; GPL-2.0.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/delay.h>
#include "bes2600.h"

static char *lower = "wphy0";
module_param(lower, charp, 0444);
MODULE_PARM_DESC(lower, "data NIC wlan0 is stacked on (default wphy0)");

int bes2600_hw_bufs = 240;
module_param_named(hw_bufs, bes2600_hw_bufs, int, 0444);
MODULE_PARM_DESC(hw_bufs, "firmware input buffers the chip advertises (numInpChBufs)");

int bes2600_fw_resident_bufs = 224;
module_param_named(fw_resident_bufs, bes2600_fw_resident_bufs, int, 0444);
MODULE_PARM_DESC(fw_resident_bufs, "buffers handed to the firmware at start-up for its own frames (templates, keep-alive); the rest carry traffic");

/*
 * Pace defaults: b's buffer cycle is latency + bounce rounded up to the
 * interrupt tick (7.9 + 5.2 -> ~14 ms), c / c-v2's is the latency alone
 * (7.9 ms -> ~8.4 ms after the tick), so on an idle host c-v2 moves ~1.7x
 * what b moves (+70 %, the middle of issue 9's +50..+90 % prediction);
 * see driver/README.md.
 */
int bes2600_confirm_latency_us = 7900;
module_param_named(confirm_latency_us, bes2600_confirm_latency_us, int, 0644);
MODULE_PARM_DESC(confirm_latency_us, "modeled bus + air latency from buffer write to confirm");

int bes2600_latency_jitter_pct = 5;
module_param_named(latency_jitter_pct, bes2600_latency_jitter_pct, int, 0644);
MODULE_PARM_DESC(latency_jitter_pct, "uniform jitter on every modeled latency, percent");

int bes2600_irq_coalesce_us = 1000;
module_param_named(irq_coalesce_us, bes2600_irq_coalesce_us, int, 0644);
MODULE_PARM_DESC(irq_coalesce_us, "chip raises its SDIO interrupt on this tick (0 = per frame)");

int bes2600_bh_rx_bounce_us = 5200;
module_param_named(bh_rx_bounce_us, bes2600_bh_rx_bounce_us, int, 0644);
MODULE_PARM_DESC(bh_rx_bounce_us, "modeled cost of handing a confirm from sdio_rx_work to bh");

int bes2600_race_window_us = 2000;
module_param_named(race_window_us, bes2600_race_window_us, int, 0644);
MODULE_PARM_DESC(race_window_us, "stats-block parse time between read and write-back of hw_bufs_used in wsm_release_tx_buffer (widens the race window)");

int bes2600_race_window_sleep = 1;
module_param_named(race_window_sleep, bes2600_race_window_sleep, int, 0644);
MODULE_PARM_DESC(race_window_sleep, "the stats block is fetched by a sleeping bus read (1) or decoded busily (0)");

int bes2600_race_window_period_ms;
module_param_named(race_window_period_ms, bes2600_race_window_period_ms, int, 0644);
MODULE_PARM_DESC(race_window_period_ms, "also the first confirm after every this many ms of the chip clock carries it (0 = off)");

int bes2600_race_window_every = 136;
module_param_named(race_window_every, bes2600_race_window_every, int, 0644);
MODULE_PARM_DESC(race_window_every, "every Nth confirm carries the stats block (0 = never)");

int bes2600_bh_cpu = 0;
module_param_named(bh_cpu, bes2600_bh_cpu, int, 0444);
MODULE_PARM_DESC(bh_cpu, "run bes2600_bh_work on this CPU (-1: unbound, any CPU)");

int bes2600_sdio_cpu = 1;
module_param_named(sdio_cpu, bes2600_sdio_cpu, int, 0444);
MODULE_PARM_DESC(sdio_cpu, "run sdio_tx_work/sdio_rx_work on this CPU (-1: unbound, any CPU)");

int bes2600_fw_violation_limit = 200;
module_param_named(fw_violation_limit, bes2600_fw_violation_limit, int, 0644);
MODULE_PARM_DESC(fw_violation_limit, "credit violations (host returned more buffers than exist) before the LMAC asserts");

int bes2600_fw_fifo_depth = 128;
module_param_named(fw_fifo_depth, bes2600_fw_fifo_depth, int, 0644);
MODULE_PARM_DESC(fw_fifo_depth, "chip input FIFO depth; overflowing it halts the LMAC");

int bes2600_lmac_timeout_ms = 2000;
module_param_named(lmac_timeout_ms, bes2600_lmac_timeout_ms, int, 0644);
MODULE_PARM_DESC(lmac_timeout_ms, "no confirm for this long with work outstanding = link break");

int bes2600_tx_queue_len = 256;
module_param_named(tx_queue_len, bes2600_tx_queue_len, int, 0644);
MODULE_PARM_DESC(tx_queue_len, "host frames waiting for a chip buffer, transmit direction");

int bes2600_rx_queue_len = 512;
module_param_named(rx_queue_len, bes2600_rx_queue_len, int, 0644);
MODULE_PARM_DESC(rx_queue_len, "host frames waiting for a chip buffer, receive direction");

/*
 * Fault lever for the rig's "rmmod hangs" path (a real driver whose exit
 * waits forever on a chip that never answers): module_exit first sleeps this
 * long, so rmmod blocks in delete_module.  Written at run time through
 * /sys/module/bes2600/parameters/exit_stall_ms; capped at 10 minutes.
 */
static unsigned int bes2600_exit_stall_ms;
module_param_named(exit_stall_ms, bes2600_exit_stall_ms, uint, 0644);
MODULE_PARM_DESC(exit_stall_ms, "module exit sleeps this long before unloading (simulates an rmmod that hangs; 0 = off)");

static struct bes2600_common *bes2600_hw;

void bes2600_deliver_rx(struct bes2600_common *hw_priv, struct sk_buff *skb)
{
	struct net_device *ndev = hw_priv->ndev;
	unsigned int len = skb->len;

	skb->protocol = eth_type_trans(skb, ndev);
	atomic64_inc(&hw_priv->st.rx_frames);
	atomic64_add(len, &hw_priv->st.rx_bytes);
	netif_rx(skb);
}

void bes2600_deliver_tx(struct bes2600_common *hw_priv, struct sk_buff *skb)
{
	unsigned int len = skb->len;

	skb->dev = hw_priv->lower;
	if (dev_queue_xmit(skb) == NET_XMIT_SUCCESS) {
		atomic64_inc(&hw_priv->st.tx_frames);
		atomic64_add(len, &hw_priv->st.tx_bytes);
	} else {
		atomic64_inc(&hw_priv->st.tx_dropped);
	}
}

static rx_handler_result_t bes2600_rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct bes2600_common *hw_priv = rcu_dereference(skb->dev->rx_handler_data);
	struct bes2600_skb_cb *cb;

	if (!hw_priv || !netif_running(hw_priv->ndev) ||
	    skb->pkt_type == PACKET_LOOPBACK)
		return RX_HANDLER_PASS;

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	*pskb = skb;

	if (READ_ONCE(hw_priv->wedged) || bes2600_stopping(hw_priv) ||
	    skb_queue_len(&hw_priv->rx_queue) >= READ_ONCE(bes2600_rx_queue_len)) {
		atomic64_inc(&hw_priv->st.rx_dropped);
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}
	/* Back to the Ethernet header; eth_type_trans() runs again on wlan0. */
	skb_push(skb, skb->data - skb_mac_header(skb));
	cb = bes2600_cb(skb);
	memset(cb, 0, sizeof(*cb));
	cb->dir = BES2600_DIR_RX;
	cb->t_arrival = ktime_get();
	cb->if_id = 0;
	skb_queue_tail(&hw_priv->rx_queue, skb);
	bes2600_bh_kick_if_room(hw_priv);
	return RX_HANDLER_CONSUMED;
}

static netdev_tx_t bes2600_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct bes2600_common *hw_priv = netdev_priv(ndev);
	struct bes2600_skb_cb *cb;

	if (READ_ONCE(hw_priv->wedged) || bes2600_stopping(hw_priv)) {
		atomic64_inc(&hw_priv->st.tx_dropped);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	/*
	 * Frames wait up to tens of ms for the chip; do not let TCP small
	 * queues throttle the socket on that (mac80211 relaxes it too).
	 */
	skb_orphan(skb);
	cb = bes2600_cb(skb);
	memset(cb, 0, sizeof(*cb));
	cb->dir = BES2600_DIR_TX;
	cb->t_arrival = ktime_get();
	cb->if_id = 0;
	skb_queue_tail(&hw_priv->tx_queue, skb);
	if (skb_queue_len(&hw_priv->tx_queue) >= READ_ONCE(bes2600_tx_queue_len))
		netif_stop_queue(ndev);
	bes2600_bh_kick_if_room(hw_priv);
	return NETDEV_TX_OK;
}

static int bes2600_open(struct net_device *ndev)
{
	struct bes2600_common *hw_priv = netdev_priv(ndev);
	struct net_device *ldev = hw_priv->lower;
	int ret;

	if (!ldev)
		return -ENODEV;
	if (!(ldev->flags & IFF_UP)) {
		ret = dev_open(ldev, NULL);
		if (ret)
			return ret;
	}
	/* One chip buffer per frame: the lower NIC must not merge frames. */
	if (ldev->features & (NETIF_F_GRO | NETIF_F_LRO)) {
		ldev->wanted_features &= ~(NETIF_F_GRO | NETIF_F_LRO);
		netdev_update_features(ldev);
	}
	netif_carrier_on(ndev);
	netif_start_queue(ndev);
	return 0;
}

static int bes2600_stop(struct net_device *ndev)
{
	struct bes2600_common *hw_priv = netdev_priv(ndev);

	netif_stop_queue(ndev);
	netif_carrier_off(ndev);
	atomic64_add(skb_queue_len(&hw_priv->tx_queue), &hw_priv->st.tx_dropped);
	atomic64_add(skb_queue_len(&hw_priv->rx_queue), &hw_priv->st.rx_dropped);
	skb_queue_purge(&hw_priv->tx_queue);
	skb_queue_purge(&hw_priv->rx_queue);
	return 0;
}

static void bes2600_get_stats64(struct net_device *ndev,
				struct rtnl_link_stats64 *s)
{
	struct bes2600_common *hw_priv = netdev_priv(ndev);

	s->tx_packets = atomic64_read(&hw_priv->st.tx_frames);
	s->tx_bytes = atomic64_read(&hw_priv->st.tx_bytes);
	s->rx_packets = atomic64_read(&hw_priv->st.rx_frames);
	s->rx_bytes = atomic64_read(&hw_priv->st.rx_bytes);
	s->tx_dropped = atomic64_read(&hw_priv->st.tx_dropped);
	s->rx_dropped = atomic64_read(&hw_priv->st.rx_dropped);
}

static const struct net_device_ops bes2600_netdev_ops = {
	.ndo_open = bes2600_open,
	.ndo_stop = bes2600_stop,
	.ndo_start_xmit = bes2600_start_xmit,
	.ndo_get_stats64 = bes2600_get_stats64,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

/*
 * Stop every timer and work item for good.  Work items and timers re-arm
 * each other, so after "stopping" is set everything is cancelled twice.
 */
static void bes2600_chip_stop(struct bes2600_common *hw_priv)
{
	int round;

	if (hw_priv->stopped)
		return;
	WRITE_ONCE(hw_priv->stopping, true);
	smp_mb();
	cancel_delayed_work_sync(&hw_priv->lmac_monitor);
	for (round = 0; round < 2; round++) {
		bes2600_fw_stop(hw_priv);
		bes2600_bh_stop_timers(hw_priv);
		cancel_work_sync(&hw_priv->bh_work);
		cancel_work_sync(&hw_priv->sdio_tx_work);
		cancel_work_sync(&hw_priv->sdio_rx_work);
	}
	skb_queue_purge(&hw_priv->tx_queue);
	skb_queue_purge(&hw_priv->rx_queue);
	skb_queue_purge(&hw_priv->bus_tx_q);
	skb_queue_purge(&hw_priv->bh_rx_q);
	bes2600_fw_purge(hw_priv);
	hw_priv->stopped = true;
}

static void bes2600_detach_lower(struct bes2600_common *hw_priv)
{
	ASSERT_RTNL();
	if (hw_priv->rx_handler_registered) {
		netdev_rx_handler_unregister(hw_priv->lower);
		hw_priv->rx_handler_registered = false;
	}
	if (hw_priv->ndev_registered) {
		unregister_netdevice(hw_priv->ndev);
		hw_priv->ndev_registered = false;
	}
}

static int bes2600_netdev_event(struct notifier_block *nb, unsigned long event,
				void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct bes2600_common *hw_priv = bes2600_hw;

	if (!hw_priv || event != NETDEV_UNREGISTER || dev != hw_priv->lower)
		return NOTIFY_DONE;
	pr_warn("bes2600: lower device %s going away, removing %s\n",
		dev->name, hw_priv->ndev->name);
	bes2600_detach_lower(hw_priv);
	bes2600_chip_stop(hw_priv);
	dev_put(hw_priv->lower);
	hw_priv->lower = NULL;
	return NOTIFY_DONE;
}

static struct notifier_block bes2600_netdev_nb = {
	.notifier_call = bes2600_netdev_event,
};

static int bes2600_check_params(void)
{
	if (bes2600_hw_bufs < 1 || bes2600_hw_bufs > 4096 ||
	    bes2600_fw_resident_bufs < 0 ||
	    bes2600_fw_resident_bufs >= bes2600_hw_bufs ||
	    bes2600_confirm_latency_us < 0 || bes2600_irq_coalesce_us < 0 ||
	    bes2600_bh_rx_bounce_us < 0 ||
	    bes2600_race_window_us < 0 || bes2600_race_window_us > 20000 ||
	    bes2600_race_window_every < 0 || bes2600_race_window_period_ms < 0 ||
	    bes2600_fw_violation_limit < 1 ||
	    bes2600_fw_fifo_depth < 0 || bes2600_lmac_timeout_ms < 100 ||
	    bes2600_tx_queue_len < 2 || bes2600_rx_queue_len < 1 ||
	    bes2600_latency_jitter_pct < 0 || bes2600_latency_jitter_pct > 100) {
		pr_err("bes2600: invalid module parameter value\n");
		return -EINVAL;
	}
	return 0;
}

static int __init bes2600_init(void)
{
	struct bes2600_common *hw_priv;
	struct net_device *ndev, *ldev;
	int ret;

	ret = bes2600_check_params();
	if (ret)
		return ret;

	ndev = alloc_netdev(sizeof(*hw_priv), "wlan%d", NET_NAME_ENUM, ether_setup);
	if (!ndev)
		return -ENOMEM;
	ndev->netdev_ops = &bes2600_netdev_ops;
	ndev->priv_flags |= IFF_NO_QUEUE;
	ndev->tx_queue_len = 0;

	hw_priv = netdev_priv(ndev);
	hw_priv->ndev = ndev;
	hw_priv->wsm_caps.numInpChBufs = bes2600_hw_bufs;
	skb_queue_head_init(&hw_priv->tx_queue);
	skb_queue_head_init(&hw_priv->rx_queue);
	skb_queue_head_init(&hw_priv->bus_tx_q);
	INIT_WORK(&hw_priv->sdio_tx_work, sdio_tx_work);
	INIT_WORK(&hw_priv->sdio_rx_work, sdio_rx_work);
	bes2600_bh_init(hw_priv);
	if (bes2600_fw_init(hw_priv)) {
		free_netdev(ndev);
		return -ENOMEM;
	}
	hw_priv->last_confirm = jiffies;

	ret = -ENOMEM;
	hw_priv->bh_wq = alloc_workqueue("bes2600_bh", WQ_HIGHPRI |
					 (bes2600_bh_cpu < 0 ? WQ_UNBOUND : 0), 1);
	hw_priv->sdio_wq = alloc_workqueue("bes2600_sdio", WQ_HIGHPRI |
					   (bes2600_sdio_cpu < 0 ? WQ_UNBOUND : 0), 2);
	if (!hw_priv->bh_wq || !hw_priv->sdio_wq)
		goto err_wq;

	rtnl_lock();
	ldev = __dev_get_by_name(&init_net, lower);
	if (!ldev) {
		rtnl_unlock();
		pr_err("bes2600: lower device \"%s\" not found (module parameter lower=)\n",
		       lower);
		ret = -ENODEV;
		goto err_wq;
	}
	if (ldev->type != ARPHRD_ETHER || ldev->addr_len != ETH_ALEN) {
		rtnl_unlock();
		pr_err("bes2600: lower device %s is not an Ethernet device\n", lower);
		ret = -EINVAL;
		goto err_wq;
	}
	dev_hold(ldev);
	hw_priv->lower = ldev;
	eth_hw_addr_set(ndev, ldev->dev_addr);
	ndev->mtu = ldev->mtu;
	ndev->max_mtu = ldev->mtu;
	ndev->needed_headroom = ldev->needed_headroom;

	ret = register_netdevice(ndev);
	if (ret) {
		rtnl_unlock();
		goto err_put;
	}
	hw_priv->ndev_registered = true;
	ret = netdev_rx_handler_register(ldev, bes2600_rx_handler, hw_priv);
	if (ret) {
		pr_err("bes2600: %s already has an rx handler (%d)\n", lower, ret);
		bes2600_detach_lower(hw_priv);
		rtnl_unlock();
		goto err_put;
	}
	hw_priv->rx_handler_registered = true;
	bes2600_hw = hw_priv;
	rtnl_unlock();

	ret = register_netdevice_notifier(&bes2600_netdev_nb);
	if (ret)
		goto err_unreg;

	bes2600_bh_start(hw_priv);
	bes2600_debug_init(hw_priv);
	schedule_delayed_work(&hw_priv->lmac_monitor, HZ / 2);

	pr_info("bes2600: simulation stand-in %s (variant %s): %s on %s, %d firmware buffers, confirm latency %d us\n",
		BES2600_SIM_VERSION, BES2600_SIM_VARIANT, ndev->name, ldev->name,
		bes2600_hw_bufs, bes2600_confirm_latency_us);
	return 0;

err_unreg:
	rtnl_lock();
	bes2600_detach_lower(hw_priv);
	bes2600_hw = NULL;
	rtnl_unlock();
err_put:
	dev_put(ldev);
	hw_priv->lower = NULL;
err_wq:
	bes2600_chip_stop(hw_priv);
	if (hw_priv->bh_wq)
		destroy_workqueue(hw_priv->bh_wq);
	if (hw_priv->sdio_wq)
		destroy_workqueue(hw_priv->sdio_wq);
	bes2600_fw_free(hw_priv);
	free_netdev(ndev);
	return ret;
}

static void __exit bes2600_exit(void)
{
	struct bes2600_common *hw_priv = bes2600_hw;
	struct net_device *ndev = hw_priv->ndev;

	if (bes2600_exit_stall_ms) {
		unsigned int ms = min_t(unsigned int, bes2600_exit_stall_ms, 600000);

		pr_warn("bes2600: exit stalls for %u ms (exit_stall_ms)\n", ms);
		msleep(ms);
	}

	/* Unregistering the notifier replays UNREGISTER events: detach first. */
	rtnl_lock();
	bes2600_hw = NULL;
	if (hw_priv->lower)
		bes2600_detach_lower(hw_priv);
	rtnl_unlock();
	unregister_netdevice_notifier(&bes2600_netdev_nb);
	bes2600_chip_stop(hw_priv);
	bes2600_debug_exit(hw_priv);
	destroy_workqueue(hw_priv->bh_wq);
	destroy_workqueue(hw_priv->sdio_wq);
	if (hw_priv->lower) {
		dev_put(hw_priv->lower);
		hw_priv->lower = NULL;
	}
	pr_info("bes2600: unloaded (%lld confirms, %lld underflow WARNs)\n",
		(long long)atomic64_read(&hw_priv->st.confirms),
		(long long)atomic64_read(&hw_priv->st.underflow_warns));
	bes2600_fw_free(hw_priv);
	free_netdev(ndev);
}

module_init(bes2600_init);
module_exit(bes2600_exit);

MODULE_DESCRIPTION("bes2600 simulation stand-in (models the BES2600 SDIO Wi-Fi driver's buffer accounting for the besrig rig; not the real driver)");
MODULE_AUTHOR("besrig project");
MODULE_LICENSE("GPL");
MODULE_VERSION(BES2600_SIM_VERSION "-" BES2600_SIM_VARIANT);
